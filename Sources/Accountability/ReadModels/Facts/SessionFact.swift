import EventLedger
import Foundation

/// A SessionScheduled, SessionHeld, SessionMissed or SessionCancelled, as `apply` appends it to
/// a read model's session column (folded into ``TrackedSession``s when a report is made).
/// 56 bytes; a SessionHeld keeps its attendees array (shared with the decoded event, not copied).
struct SessionFact: StreamFact, Sendable, Hashable, Codable {
    /// What happened to the session; `position` is the log position of the event that resolved
    /// it (it orders sessions resolved at the same occurred-at).
    enum Change: Sendable, Hashable, Codable {
        case scheduled(for: Timestamp)
        case held(position: UInt64, attendees: [UUID])
        case missed(position: UInt64, absentMentor: Bool, absentMentee: Bool)
        case cancelled(by: UUID)
    }

    /// Occurred-at.
    var at: Timestamp
    var session: UUID
    var change: Change
    var stream: UInt64

    /// The fact of a session event of `stream`; `nil` for any other event.
    init?(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        switch event {
        case .sessionScheduled(let e):
            (session, change) = (e.session, .scheduled(for: e.scheduledFor))
        case .sessionHeld(let e):
            (session, change) = (e.session, .held(position: position, attendees: e.attendees))
        case .sessionMissed(let e):
            (session, change) = (e.session, .missed(position: position, absentMentor: e.absent != .mentee, absentMentee: e.absent != .mentor))
        case .sessionCancelled(let e):
            (session, change) = (e.session, .cancelled(by: e.cancelledBy))
        default:
            return nil
        }
        at = time
        self.stream = stream
    }
}
