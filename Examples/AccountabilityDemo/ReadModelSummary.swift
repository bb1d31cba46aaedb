import Accountability
import EventLedger
import Foundation

/// The read models the demo prints after the summary, all folded in one replay.
struct ReadModelSummary {
    let progress: ProgressReport
    let engagement: EngagementReport
    let commitment: CommitmentReport
    let health: ProgramHealthReport
    let nudges: NudgeReport
    let seconds: Double

    /// Replays the five models over the whole ledger and evaluates them as of `asOf`.
    init(ledger: Ledger, asOf: Timestamp) throws {
        let all = try CombinedProjection(
            CombinedProjection(CombinedProjection(CombinedProjection(ProgressProjection(), EngagementProjection()), CommitmentProjection()),
                               ProgramHealthProjection()),
            NudgeProjection())
        let started = Date()
        let state = try ledger.replay(all).state
        seconds = Date().timeIntervalSince(started)
        progress = state.first.first.first.first.report(asOf: asOf)
        engagement = state.first.first.first.second.report(asOf: asOf)
        commitment = state.first.first.second.report(asOf: asOf)
        health = state.first.second.report(asOf: asOf)
        nudges = state.second.report(asOf: asOf)
    }

    func print(asOf: Timestamp) {
        let overall = health.overall
        Swift.print("")
        Swift.print("Program health as of \(asOf)")
        Swift.print("  pairs: \(overall.pairsStarted) started, \(overall.activePairs) active, \(overall.pausedPairs) paused, \(overall.endedPairs) ended")
        Swift.print("  activation rate \(percent(overall.activationRate)), active-pair rate \(percent(overall.activePairRate)), attendance \(percent(overall.attendance)), average rating \(number(overall.averageRating))")
        Swift.print("  RAG (pairs not ended): \(overall.ragCounts.red) red, \(overall.ragCounts.amber) amber, \(overall.ragCounts.green) green; program \(overall.rag.rawValue)")

        Swift.print("")
        Swift.print("The 10 mentorships most at risk (lowest mean of engagement and commitment, pairs not ended)")
        Swift.print("  mentorship   engagement  commitment  sessions  RAG")
        let atRisk = engagement.mentorshipsByEngagement.compactMap { pair -> (MentorshipEngagement, Double, Double)? in
            guard let commitment = commitment.mentorships[pair.mentorship] else { return nil }
            return (pair, commitment.score, (pair.engagementScore + commitment.score) / 2)
        }.sorted { ($0.2, $0.0.mentorship.uuidString) < ($1.2, $1.0.mentorship.uuidString) }.prefix(10)
        for (pair, commitmentScore, _) in atRisk {
            let rag = health.pair(pair.mentorship)?.rag.rawValue ?? "-"
            Swift.print("  \(short(pair.mentorship))  \(fixed(pair.engagementScore, 10))  \(fixed(commitmentScore, 10))  \(String(pair.sessionsHeld).leftPadded(to: 8))  \(rag)")
        }

        Swift.print("")
        Swift.print("The goals furthest behind (expected − progress, open goals)")
        Swift.print("  goal       mentorship  status   progress  expected")
        for goal in progress.goalsFurthestBehind(limit: 10) {
            Swift.print("  \(short(goal.goal))  \(short(goal.mentorship))  \(goal.status.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(fixed(goal.progressPercent, 7))%  \(fixed(goal.expectedPercent, 7))%")
        }

        Swift.print("")
        Swift.print("Nudges due today: \(nudges.nudges.count)")
        for rule in NudgeRule.allCases {
            let count = nudges.nudges(of: rule).count
            if count > 0 { Swift.print("  \(rule.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(count).leftPadded(to: 6))") }
        }
        Swift.print("")
        Swift.print("Five read models replayed in one pass in \(String(format: "%.2f", seconds)) s")
        Swift.print("Digests: progress \(progress.digest.prefix(12)), engagement \(engagement.digest.prefix(12)), commitment \(commitment.digest.prefix(12)), health \(health.digest.prefix(12)), nudges \(nudges.digest.prefix(12))")
    }

    private func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) + "…" }
    private func fixed(_ value: Double, _ width: Int) -> String { String(format: "%.1f", value).leftPadded(to: width) }
    private func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a" }
    private func number(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "n/a" }
}
