public import EventLedger
public import Foundation

/// A session as the mentorship's state knows it.
public struct SessionState: Sendable, Hashable {
    /// Where the session is.
    public enum Status: Sendable, Hashable {
        /// Planned, not yet resolved.
        case scheduled
        /// Took place.
        case held
        /// Called off.
        case cancelled
        /// Someone did not turn up.
        case missed
    }
    /// The session's id.
    public let session: UUID
    /// When it was planned for, if it was scheduled.
    public let scheduledFor: Timestamp?
    /// When it was scheduled, or held for a session that was never scheduled.
    public let recordedAt: Timestamp
    /// When it was held, once held.
    public var heldAt: Timestamp?
    /// Where it is.
    public var status: Status
}
