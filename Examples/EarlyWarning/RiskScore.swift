import Accountability
import EventLedger
import Foundation

/// The early-warning ranking: one risk score from 0 (no sign of trouble) to 100 per mentorship,
/// combining the built-in engagement and commitment scores with this example's own signals.
///
/// ```
/// risk = 30 · (1 − E/100)                      engagement E, 0…100 (EngagementReport)
///      + 20 · (1 − C/100)                      commitment C, 0…100 (CommitmentReport)
///      + 20 · min(N, 2) / 2                    N = no-shows in the last 30 days
///      + 10 · min(X, 3) / 3                    X = cancellations in the last 30 days
///      + 20 · L                                L = ratings signal, 0…1:
///   L = max( clamp((4 − R) / 2, 0, 1),         R = mean of the latest 3 ratings (4 or more: 0)
///            clamp(−T / 2, 0, 1) )             T = R − mean of the earlier ratings (a fall of 2: 1)
///   L = 0 without ratings, and T counts only with more than 3 ratings ("no evidence of trouble").
/// ```
///
/// The weights sum to 100. Engagement and commitment carry half the weight; they already summarise
/// cadence, recency, attendance and tasks over the whole mentorship. The other half reacts to what
/// happened lately, which a lifetime average is slow to show: no-shows and cancellations in the
/// last 30 days, and ratings that are low or falling. Ties rank by mentorship id.
struct RiskScore: Sendable {
    /// The formula, as printed by the report.
    static let formula = """
        risk = 30·(1 − E/100) + 20·(1 − C/100) + 20·min(N,2)/2 + 10·min(X,3)/3 + 20·L
          E engagement score, C commitment score (the built-in read models, 0–100)
          N no-shows and X cancellations in the last 30 days (this example's projection)
          L ratings signal 0–1 = max(clamp((4 − R)/2, 0, 1), clamp(−T/2, 0, 1)):
            R mean of the latest 3 ratings, T = R − mean of the earlier ones (0 without ratings)
        """

    /// Points from low engagement (0…30).
    let engagementPoints: Double
    /// Points from low commitment (0…20).
    let commitmentPoints: Double
    /// Points from recent no-shows (0…20).
    let noShowPoints: Double
    /// Points from recent cancellations (0…10).
    let cancellationPoints: Double
    /// Points from low or falling ratings (0…20).
    let ratingPoints: Double

    /// The total, 0…100.
    var total: Double { engagementPoints + commitmentPoints + noShowPoints + cancellationPoints + ratingPoints }

    /// Scores one mentorship.
    init(engagement: Double, commitment: Double, signals: WarningSignals) {
        engagementPoints = 30 * (1 - Self.clamp(engagement / 100))
        commitmentPoints = 20 * (1 - Self.clamp(commitment / 100))
        noShowPoints = 20 * Double(min(signals.recentNoShows, 2)) / 2
        cancellationPoints = 10 * Double(min(signals.recentCancellations, 3)) / 3
        let low = signals.recentRating.map { Self.clamp((4 - $0) / 2) } ?? 0
        let falling = signals.ratingTrend.map { Self.clamp(-$0 / 2) } ?? 0
        ratingPoints = 20 * max(low, falling)
    }

    /// The components that add the most points, largest first (at most `limit`, each ≥ 1 point).
    func drivers(limit: Int = 3) -> [RiskDriver] {
        let all: [RiskDriver] = [
            RiskDriver(name: "engagement", points: engagementPoints),
            RiskDriver(name: "commitment", points: commitmentPoints),
            RiskDriver(name: "no-shows", points: noShowPoints),
            RiskDriver(name: "cancellations", points: cancellationPoints),
            RiskDriver(name: "ratings", points: ratingPoints),
        ]
        let ranked = all.filter { $0.points >= 1 }.sorted { a, b in
            a.points != b.points ? a.points > b.points : a.name < b.name
        }
        return Array(ranked.prefix(limit))
    }

    private static func clamp(_ value: Double) -> Double { min(max(value, 0), 1) }
}

/// One part of a ``RiskScore``: its name and the points it adds.
struct RiskDriver: Sendable {
    /// The signal: engagement, commitment, no-shows, cancellations or ratings.
    let name: String
    /// Its points in the score.
    let points: Double
}
