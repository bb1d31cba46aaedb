import EventLedger
import Foundation

/// A SessionScheduled, SessionHeld, SessionMissed or SessionCancelled, as a ``MentorshipRecord``
/// folds it into its ``TrackedSession``s and health facts. A SessionHeld keeps its attendees
/// array (shared with the decoded event, not copied).
struct SessionFact: Sendable, Hashable {
    /// What happened to the session; `position` is the log position of the event that resolved
    /// it (it orders sessions resolved at the same occurred-at).
    enum Change: Sendable, Hashable {
        case scheduled(for: Timestamp)
        case held(position: UInt64, attendees: [UUID])
        case missed(position: UInt64, absentMentor: Bool, absentMentee: Bool)
        case cancelled(by: UUID)
    }

    /// Occurred-at.
    var at: Timestamp
    var session: UUID
    var change: Change

    /// The fact of a session event; `nil` for any other event.
    init?(_ event: AccountabilityEvent, at time: Timestamp, position: UInt64) {
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
    }
}
