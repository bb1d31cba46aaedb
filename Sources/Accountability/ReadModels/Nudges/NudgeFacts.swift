import EventLedger
import Foundation

/// A NudgeSent, as a ``MentorshipRecord`` keeps it.
struct TrackedNudge: Sendable, Hashable {
    /// The ``NudgeRule`` raw value.
    var rule: UInt8
    var subject: UUID
    var recipient: UUID
    /// Occurred-at.
    var at: Timestamp
}
