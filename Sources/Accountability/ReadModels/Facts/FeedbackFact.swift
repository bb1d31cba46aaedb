import EventLedger
import Foundation

/// A FeedbackGiven, as `apply` appends it to a read model's feedback column. 64 bytes.
struct FeedbackFact: StreamFact, Sendable, Hashable, Codable {
    /// Occurred-at.
    var at: Timestamp
    var from: UUID
    var session: UUID?
    var rating: Int
    var stream: UInt64

    init(_ e: FeedbackGiven, stream: UInt64, at time: Timestamp) {
        at = time
        from = e.from
        session = e.session
        rating = e.rating
        self.stream = stream
    }
}
