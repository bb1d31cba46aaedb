import EventLedger
import Foundation

/// A FeedbackGiven, as a ``MentorshipRecord`` keeps it (in its ``TrackedSessions``).
struct FeedbackFact: Sendable, Hashable {
    /// Occurred-at.
    var at: Timestamp
    var from: UUID
    var session: UUID?
    var rating: Int

    init(_ e: FeedbackGiven, at time: Timestamp) {
        at = time
        from = e.from
        session = e.session
        rating = e.rating
    }

    /// A fact as stored (a decoded record).
    init(at: Timestamp, from: UUID, session: UUID?, rating: Int) {
        self.at = at
        self.from = from
        self.session = session
        self.rating = rating
    }
}
