import Accountability
import EventLedger
import Foundation

/// One mentorship's warning signals as of a time, from its ``PairTimeline``.
///
/// Windows follow the read models' rule: "the last 30 days" means `asOf − 30 d < t ≤ asOf`.
struct WarningSignals: Sendable {
    /// The length of the recent window, in days.
    static let windowDays = 30.0
    /// How many of the latest ratings make the "recent" average.
    static let recentRatings = 3

    /// The mentorship.
    let mentorship: UUID
    /// No-shows in the last 30 days (either side; a session both missed counts once).
    let recentNoShows: Int
    /// Cancellations in the last 30 days.
    let recentCancellations: Int
    /// Of those, cancelled with less than 24 h notice.
    let recentShortNotice: Int
    /// Every rating given by asOf.
    let ratingCount: Int
    /// Ratings of 2 or less given by asOf.
    let lowRatings: Int
    /// The mean of the latest 3 ratings; `nil` with no rating.
    let recentRating: Double?
    /// The recent mean minus the mean of the ratings before them; `nil` with 3 ratings or fewer.
    /// Negative when ratings are falling.
    let ratingTrend: Double?

    /// The signals of `pair` as of `asOf`.
    init(_ pair: PairTimeline, asOf: Timestamp) {
        mentorship = pair.mentorship
        let windowStart = asOf.adding(seconds: -Self.windowDays * 86_400)
        func isRecent(_ time: Timestamp) -> Bool { windowStart < time && time <= asOf }
        recentNoShows = pair.noShows.count(where: { isRecent($0.at) })
        let cancellations = pair.cancellations.filter { isRecent($0.at) }
        recentCancellations = cancellations.count
        recentShortNotice = cancellations.count(where: { $0.shortNotice })

        // Ratings by occurred-at; ties keep log order (the index).
        let ratings = pair.ratings.enumerated()
            .filter { $0.element.at <= asOf }
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map { Double($0.element.rating) }
        ratingCount = ratings.count
        lowRatings = ratings.count(where: { $0 <= 2 })
        let recent = ratings.suffix(Self.recentRatings)
        let earlier = ratings.dropLast(Self.recentRatings)
        recentRating = Self.mean(recent)
        ratingTrend = Self.mean(earlier).flatMap { before in Self.mean(recent).map { $0 - before } }
    }

    /// The mean of `values`; `nil` when there are none.
    private static func mean(_ values: some Collection<Double>) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
