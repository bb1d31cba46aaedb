import EventLedger
import Foundation

/// A SessionHeld, as a ``MentorshipRecord`` turns it into its pair's held session (its
/// attendees array is shared with the decoded event, not copied).
struct HeldSessionFact: Sendable, Hashable {
    var session: UUID
    /// Occurred-at.
    var heldAt: Timestamp
    var minutes: Int
    var attendees: [UUID]

    init(_ e: SessionHeld, at time: Timestamp) {
        session = e.session
        heldAt = time
        minutes = e.minutes
        attendees = e.attendees
    }

    /// The held session of the mentorship whose pair is `pair`.
    func session(of pair: TrackedPair) -> EngagementSessionFact {
        EngagementSessionFact(session: session, heldAt: heldAt, minutes: minutes,
                              mentorAttended: attendees.contains(pair.mentor), menteeAttended: attendees.contains(pair.mentee))
    }
}

/// A session-linked FeedbackGiven, as a ``MentorshipRecord`` folds it into the first feedback
/// time of its session.
struct SessionFeedbackFact: Sendable, Hashable {
    /// Occurred-at.
    var at: Timestamp
    var session: UUID

    init(session: UUID, at: Timestamp) {
        self.at = at
        self.session = session
    }
}

extension IDTable<Timestamp> {
    /// Folds a session-linked FeedbackGiven into session → earliest feedback time: keeps the
    /// earliest occurred-at per session (what ``EngagementMentorshipFacts/firstFeedbackAt``
    /// reports).
    mutating func recordFirstFeedback(_ fact: SessionFeedbackFact) {
        if let current = self[fact.session], current <= fact.at { return }
        assign(fact.at, to: fact.session)
    }
}
