import Accountability
import EventLedger
import Foundation

/// One mentorship in the early-warning ranking: the built-in scores, this example's signals and
/// the risk computed from them.
struct PairAtRisk: Sendable {
    /// Engagement as of the report's time.
    let engagement: MentorshipEngagement
    /// Commitment as of the report's time.
    let commitment: MentorshipCommitment
    /// No-shows, cancellations and ratings.
    let signals: WarningSignals
    /// The score and its parts.
    let risk: RiskScore

    /// The mentorship.
    var mentorship: UUID { engagement.mentorship }
}

/// The early-warning report: folds engagement, commitment and ``WarningSignalsProjection`` in one
/// replay, then ranks the pairs not ended by ``RiskScore``, highest risk first.
struct EarlyWarningReport {
    /// The time the report is evaluated at.
    let asOf: Timestamp
    /// Pairs not ended at asOf, highest risk first (ties by mentorship id).
    let ranking: [PairAtRisk]
    /// Events the replay folded.
    let eventsApplied: UInt64

    /// Replays the whole log once and ranks the pairs as of `asOf`.
    init(ledger: Ledger, asOf: Timestamp) throws {
        let projection = try CombinedProjection(
            CombinedProjection(EngagementProjection(), CommitmentProjection()),
            WarningSignalsProjection())
        let result = try ledger.replay(projection)
        let engagement = result.state.first.first.report(asOf: asOf)
        let commitment = result.state.first.second.report(asOf: asOf)
        let signals = result.state.second.signals(asOf: asOf)
        self.asOf = asOf
        eventsApplied = result.eventsApplied
        ranking = engagement.mentorshipsByEngagement
            .compactMap { pair -> PairAtRisk? in
                guard let commitment = commitment.mentorships[pair.mentorship], let signals = signals[pair.mentorship] else { return nil }
                return PairAtRisk(engagement: pair, commitment: commitment, signals: signals,
                                  risk: RiskScore(engagement: pair.engagementScore, commitment: commitment.score, signals: signals))
            }
            .sorted {
                $0.risk.total != $1.risk.total ? $0.risk.total > $1.risk.total : $0.mentorship.uuidString < $1.mentorship.uuidString
            }
    }

    /// Prints the formula, the distribution of risk and the `limit` pairs most at risk.
    func print(limit: Int = 10) {
        Swift.print("Ranking formula")
        for line in RiskScore.formula.split(separator: "\n") { Swift.print("  \(line)") }

        let paused = ranking.count { $0.engagement.lifecycle == .paused }
        let high = ranking.count { $0.risk.total >= 50 }
        let medium = ranking.count { $0.risk.total >= 25 && $0.risk.total < 50 }
        Swift.print("")
        Swift.print("Pairs not ended as of \(asOf): \(ranking.count) (\(ranking.count - paused) active, \(paused) paused)")
        Swift.print("  risk ≥ 50: \(high)   25 to 50: \(medium)   below 25: \(ranking.count - high - medium)")

        Swift.print("")
        guard !ranking.isEmpty else {
            Swift.print("No pair is running: nothing to rank.")
            return
        }
        Swift.print("Top \(min(limit, ranking.count)) of \(ranking.count) by risk")
        Swift.print(Self.row(["#", "mentorship", "state", "risk", "engage", "commit", "no-shows", "cancelled", "ratings", "recent", "trend", "last", "main drivers (points)"]))
        Swift.print(Self.row(["", "", "", "", "", "", "30 d", "30 d (<24 h)", "", "rating", "", "session", ""]))
        for (rank, pair) in ranking.prefix(limit).enumerated() {
            let signals = pair.signals
            Swift.print(Self.row([
                String(rank + 1),
                Self.short(pair.mentorship),
                pair.engagement.lifecycle.rawValue,
                Self.fixed(pair.risk.total),
                Self.fixed(pair.engagement.engagementScore),
                Self.fixed(pair.commitment.score),
                String(signals.recentNoShows),
                "\(signals.recentCancellations) (\(signals.recentShortNotice))",
                String(signals.ratingCount),
                signals.recentRating.map { String(format: "%.2f", $0) } ?? "-",
                signals.ratingTrend.map { String(format: "%+.2f", $0) } ?? "-",
                pair.engagement.daysSinceLastSession.map { String(format: "%.0f d ago", $0) } ?? "never",
                pair.risk.drivers().map { "\($0.name) \(Self.fixed($0.points))" }.joined(separator: ", "),
            ]))
        }
        Swift.print("")
        Swift.print("engage/commit: the built-in engagement and commitment scores (0–100, higher is better);")
        Swift.print("recent: mean of the latest 3 ratings; trend: recent − mean of the earlier ratings.")
    }

    /// The table's columns: width, and whether the text is right-aligned (numbers) or left-aligned.
    private static let columns: [(width: Int, right: Bool)] = [
        (2, true), (10, false), (6, false), (5, true), (6, true), (6, true), (8, true), (12, true),
        (7, true), (6, true), (5, true), (9, true), (0, false),
    ]

    /// One line of the table: each cell padded to its column.
    static func row(_ cells: [String]) -> String {
        zip(cells, columns).map { cell, column in
            column.right ? cell.leftPadded(to: column.width) : cell.padded(to: column.width)
        }.joined(separator: "  ").trimmingTrailingSpaces()
    }

    /// The first 8 hex digits of an id, then an ellipsis.
    static func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) + "…" }

    /// One decimal.
    static func fixed(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension String {
    /// The string with spaces in front to make it `width` characters wide.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    /// The string without trailing spaces.
    func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }

    /// The string with spaces after it to make it `width` characters wide.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
