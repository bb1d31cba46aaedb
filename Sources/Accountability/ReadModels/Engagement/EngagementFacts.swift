import EventLedger
import Foundation

/// A SessionHeld, as the engagement `apply` appends it (its attendees array is shared with the
/// decoded event, not copied). 48 bytes.
struct HeldSessionFact: StreamFact, Sendable, Hashable, Codable {
    var session: UUID
    /// Occurred-at.
    var heldAt: Timestamp
    var minutes: Int
    var attendees: [UUID]
    var stream: UInt64

    init(_ e: SessionHeld, stream: UInt64, at time: Timestamp) {
        session = e.session
        heldAt = time
        minutes = e.minutes
        attendees = e.attendees
        self.stream = stream
    }

    /// The held session of the mentorship whose pair is `pair`.
    func session(of pair: TrackedPair) -> EngagementSessionFact {
        EngagementSessionFact(session: session, heldAt: heldAt, minutes: minutes,
                              mentorAttended: attendees.contains(pair.mentor), menteeAttended: attendees.contains(pair.mentee))
    }
}

/// A session-linked FeedbackGiven, as the engagement `apply` appends it. 32 bytes.
struct SessionFeedbackFact: StreamFact, Sendable, Hashable, Codable {
    /// Occurred-at.
    var at: Timestamp
    var session: UUID
    var stream: UInt64

    init(stream: UInt64, session: UUID, at: Timestamp) {
        self.at = at
        self.session = session
        self.stream = stream
    }
}
