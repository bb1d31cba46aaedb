import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

@Suite("Program health read model")
struct ProgramHealthReadModelTests {
    private func replay(_ scenario: EngagementHealthScenario) throws -> ProgramHealthState {
        try scenario.fixture.ledger.replay(ProgramHealthProjection()).state
    }

    // MARK: - Hand-worked scenario (see EngagementHealthScenario for the log)

    @Test("pairs at day 60: attendance counts no-shows and < 24 h cancellations only; ratings of every feedback")
    func pairsAtDay60() throws {
        let scenario = try EngagementHealthScenario()
        let report = try replay(scenario).report(asOf: scenario.day(60))
        #expect(report.pairs.map(\.mentorship) == [scenario.m1, scenario.m2, scenario.m3].sorted { $0.uuidString < $1.uuidString })

        let m1 = try #require(report.pair(scenario.m1))
        #expect(m1.program == scenario.fixture.program)
        #expect(m1.mentor == scenario.fixture.mentor)
        #expect(m1.mentee == scenario.fixture.mentee)
        #expect(m1.startedAt == scenario.day(0))
        #expect(m1.lifecycle == .active)
        #expect(m1.sessionsHeld == 4) // S1, S2, S4, S6
        #expect(m1.activated)
        #expect(m1.sessionsLast30Days == 2) // S4 d37, S6 d50 in (d30, d60]
        #expect(m1.noShows == 1) // S3
        #expect(m1.shortNoticeCancellations == 1) // S5: 12 h notice; S7 (6 days) does not count
        #expect(m1.attendance == 4.0 / 6.0) // 4 held / (4 + 1 no-show + 1 short cancel) ≈ 0.667
        #expect(m1.ratingCount == 4)
        #expect(m1.ratingSum == 16) // 5 + 4 + 3 + 4
        #expect(m1.averageRating == 4.0) // 16 / 4
        #expect(m1.attendanceRAG == .amber) // 0.65 ≤ 0.667 < 0.80
        #expect(m1.ratingRAG == .amber) // 3.8 ≤ 4.0 < 4.2
        #expect(m1.rag == .amber) // two ambers

        let m2 = try #require(report.pair(scenario.m2))
        #expect(m2.lifecycle == .ended)
        #expect(m2.sessionsHeld == 2)
        #expect(!m2.activated)
        #expect(m2.sessionsLast30Days == 0) // T2 at exactly d30 is outside (d30, d60]
        #expect(m2.noShows == 0)
        #expect(m2.shortNoticeCancellations == 0)
        #expect(m2.attendance == 1.0) // 2 / 2
        #expect(m2.ratingCount == 0)
        #expect(m2.averageRating == nil)
        #expect(m2.attendanceRAG == .green)
        #expect(m2.ratingRAG == .green) // no rating: not red/amber
        #expect(m2.rag == .green)

        let m3 = try #require(report.pair(scenario.m3))
        #expect(m3.program == scenario.fixture.otherProgram)
        #expect(m3.lifecycle == .active)
        #expect(m3.sessionsHeld == 0)
        #expect(m3.attendance == nil) // nothing held, missed or cancelled late
        #expect(m3.ratingCount == 1)
        #expect(m3.ratingSum == 2)
        #expect(m3.averageRating == 2.0)
        #expect(m3.attendanceRAG == .green) // no data
        #expect(m3.ratingRAG == .red) // 2.0 < 3.8
        #expect(m3.rag == .red) // any red
    }

    @Test("the whole ledger and each program at day 60: pooled attendance and rating, RAG counts of pairs not ended")
    func programsAtDay60() throws {
        let scenario = try EngagementHealthScenario()
        let report = try replay(scenario).report(asOf: scenario.day(60))

        let all = report.overall
        #expect(all.program == nil)
        #expect(all.pairsStarted == 3)
        #expect(all.activePairs == 2) // M1, M3; M2 ended
        #expect(all.pausedPairs == 0)
        #expect(all.endedPairs == 1)
        #expect(all.activatedPairs == 1) // M1
        #expect(all.activationRate == 1.0 / 3.0)
        #expect(all.activePairsWithRecentSession == 1) // M1 (S4, S6); M3 none
        #expect(all.activePairRate == 1.0 / 2.0)
        #expect(all.sessionsHeld == 6) // 4 + 2 + 0
        #expect(all.noShows == 1)
        #expect(all.shortNoticeCancellations == 1)
        #expect(all.attendance == 6.0 / 8.0) // 6 / (6 + 1 + 1) = 0.75
        #expect(all.ratingCount == 5)
        #expect(all.ratingSum == 18) // 16 + 2
        #expect(all.averageRating == 18.0 / 5.0) // 3.6
        #expect(all.attendanceRAG == .amber)
        #expect(all.ratingRAG == .red)
        #expect(all.rag == .red)
        #expect(all.ragCounts == RAGCounts(red: 1, amber: 1, green: 0)) // M3 red, M1 amber; M2 ended
        #expect(report.ragCounts == all.ragCounts)

        #expect(report.programs.map(\.program) == [scenario.fixture.program, scenario.fixture.otherProgram].sorted { $0.uuidString < $1.uuidString })
        let p = try #require(report.program(scenario.fixture.program))
        #expect(p.pairsStarted == 2) // M1, M2
        #expect(p.activePairs == 1)
        #expect(p.endedPairs == 1)
        #expect(p.activatedPairs == 1)
        #expect(p.activationRate == 1.0 / 2.0)
        #expect(p.activePairsWithRecentSession == 1)
        #expect(p.activePairRate == 1.0) // 1 / 1
        #expect(p.attendance == 6.0 / 8.0)
        #expect(p.ratingCount == 4)
        #expect(p.averageRating == 4.0)
        #expect(p.attendanceRAG == .amber)
        #expect(p.ratingRAG == .amber)
        #expect(p.rag == .amber)
        #expect(p.ragCounts == RAGCounts(red: 0, amber: 1, green: 0))

        let other = try #require(report.program(scenario.fixture.otherProgram))
        #expect(other.pairsStarted == 1)
        #expect(other.activePairs == 1)
        #expect(other.activatedPairs == 0)
        #expect(other.activationRate == 0.0)
        #expect(other.activePairRate == 0.0) // 0 / 1
        #expect(other.sessionsHeld == 0)
        #expect(other.attendance == nil)
        #expect(other.averageRating == 2.0)
        #expect(other.attendanceRAG == .green)
        #expect(other.ratingRAG == .red)
        #expect(other.rag == .red)
        #expect(other.ragCounts == RAGCounts(red: 1, amber: 0, green: 0))
    }

    @Test("as of day 30: a paused pair is not active; one amber and one green signal make the program green")
    func asOfDay30() throws {
        let scenario = try EngagementHealthScenario()
        let report = try replay(scenario).report(asOf: scenario.day(30))
        #expect(report.pairs.count == 2) // M3 starts at d50
        #expect(report.program(scenario.fixture.otherProgram) == nil)

        let m1 = try #require(report.pair(scenario.m1))
        #expect(m1.lifecycle == .paused)
        #expect(m1.sessionsHeld == 2)
        #expect(!m1.activated)
        #expect(m1.noShows == 1) // S3 at d16
        #expect(m1.shortNoticeCancellations == 0) // S5 is cancelled at d44.5
        #expect(m1.attendance == 2.0 / 3.0) // 2 / (2 + 1)
        #expect(m1.ratingCount == 3)
        #expect(m1.averageRating == 4.0) // (5 + 4 + 3) / 3
        #expect(m1.rag == .amber)

        let m2 = try #require(report.pair(scenario.m2))
        #expect(m2.lifecycle == .active) // ends at d40
        #expect(m2.sessionsLast30Days == 2)
        #expect(m2.rag == .green)

        let all = report.overall
        #expect(all.pairsStarted == 2)
        #expect(all.activePairs == 1) // M2
        #expect(all.pausedPairs == 1) // M1
        #expect(all.endedPairs == 0)
        #expect(all.activatedPairs == 0)
        #expect(all.activationRate == 0.0) // 0 / 2
        #expect(all.activePairsWithRecentSession == 1)
        #expect(all.activePairRate == 1.0) // 1 / 1: the paused pair is not in the denominator
        #expect(all.attendance == 4.0 / 5.0) // 4 held / (4 + 1 no-show) = 0.8
        #expect(all.averageRating == 4.0) // 12 / 3
        #expect(all.attendanceRAG == .green) // exactly 0.80
        #expect(all.ratingRAG == .amber)
        #expect(all.rag == .green) // one amber + one green
        #expect(all.ragCounts == RAGCounts(red: 0, amber: 1, green: 1)) // M1 (paused) amber, M2 green
        #expect(report.programs.count == 1)
        #expect(report.program(scenario.fixture.program)?.rag == .green)
    }

    @Test("a replay cut at day 30 gives the same day-30 report as the full log")
    func asOfEqualsTimeTravel() throws {
        let scenario = try EngagementHealthScenario()
        let full = try replay(scenario)
        let cut = try scenario.fixture.ledger.replay(ProgramHealthProjection(), .all().through(position: scenario.lastPositionByDay30)).state
        #expect(cut != full)
        #expect(cut.report(asOf: scenario.day(30)) == full.report(asOf: scenario.day(30)))
        #expect(cut.report(asOf: scenario.day(30)).digest == full.report(asOf: scenario.day(30)).digest)
        #expect(full.report(asOf: scenario.day(45)).digest != full.report(asOf: scenario.day(30)).digest)
    }

    // MARK: - Formulas

    @Test("RAG thresholds and the combination rule")
    func ragRules() {
        #expect(HealthFormulas.attendanceRAG(0.80) == .green)
        #expect(HealthFormulas.attendanceRAG(4.0 / 5.0) == .green)
        #expect(HealthFormulas.attendanceRAG(0.7999) == .amber)
        #expect(HealthFormulas.attendanceRAG(0.65) == .amber)
        #expect(HealthFormulas.attendanceRAG(13.0 / 20.0) == .amber)
        #expect(HealthFormulas.attendanceRAG(0.6499) == .red)
        #expect(HealthFormulas.attendanceRAG(nil) == .green)
        #expect(HealthFormulas.ratingRAG(4.2) == .green)
        #expect(HealthFormulas.ratingRAG(21.0 / 5.0) == .green)
        #expect(HealthFormulas.ratingRAG(4.19) == .amber)
        #expect(HealthFormulas.ratingRAG(3.8) == .amber)
        #expect(HealthFormulas.ratingRAG(19.0 / 5.0) == .amber)
        #expect(HealthFormulas.ratingRAG(3.79) == .red)
        #expect(HealthFormulas.ratingRAG(nil) == .green)
        #expect(HealthFormulas.combine(.green, .green) == .green)
        #expect(HealthFormulas.combine(.amber, .green) == .green)
        #expect(HealthFormulas.combine(.green, .amber) == .green)
        #expect(HealthFormulas.combine(.amber, .amber) == .amber)
        #expect(HealthFormulas.combine(.red, .green) == .red)
        #expect(HealthFormulas.combine(.amber, .red) == .red)
        #expect(HealthFormulas.attendance(held: 0, noShows: 0, shortNoticeCancellations: 0) == nil)
        #expect(HealthFormulas.averageRating(sum: 0, count: 0) == nil)
    }

    @Test("a cancellation with exactly 24 h notice is not short; 23 h 59 is")
    func shortNoticeBoundary() throws {
        let f = try MentorshipFixture()
        let a = UUID(), b = UUID()
        try f.record(f.sessionScheduled(a, for: f.day(10)), at: 1)
        try f.record(f.sessionScheduled(b, for: f.day(20)), at: 1)
        try f.record(SessionCancelled(session: a, cancelledBy: f.mentor, reason: "travel"), at: 9) // 24 h
        try f.record(SessionCancelled(session: b, cancelledBy: f.mentee, reason: "ill"), by: f.mentee, at: 20 - 1439.0 / 1440) // 23 h 59
        try f.holdSession(at: 21)
        let pair = try #require(try f.ledger.replay(ProgramHealthProjection()).state.report(asOf: f.day(30)).pair(f.mentorship))
        #expect(pair.shortNoticeCancellations == 1)
        #expect(pair.attendance == 1.0 / 2.0) // 1 held / (1 + 0 + 1)
        #expect(pair.attendanceRAG == .red)
        #expect(pair.rag == .red)
    }

    // MARK: - Digest, Codable, smoke

    @Test("digest: same log twice gives the same digest; one more event changes it; an event after asOf does not")
    func digestStability() throws {
        let scenario = try EngagementHealthScenario()
        let asOf = scenario.day(60)
        let first = try replay(scenario).report(asOf: asOf)
        let second = try replay(scenario).report(asOf: asOf)
        #expect(first == second)
        #expect(first.digest == second.digest)
        #expect(first.digest.count == 64)

        let f = scenario.fixture
        try f.record(f.feedback(from: scenario.mentor3, to: scenario.mentee3, rating: 5), by: scenario.mentor3, at: 70, on: scenario.m3)
        #expect(try replay(scenario).report(asOf: asOf).digest == first.digest, "a fact dated after asOf does not count")

        try f.record(f.feedback(from: scenario.mentor3, to: scenario.mentee3, rating: 5), by: scenario.mentor3, at: 59, on: scenario.m3)
        let after = try replay(scenario).report(asOf: asOf)
        #expect(after.digest != first.digest)
        #expect(after.pair(scenario.m3)?.averageRating == 3.5) // (2 + 5) / 2
        #expect(after.pair(scenario.m3)?.rag == .red) // 3.5 < 3.8
    }

    @Test("the state round-trips through JSON to an equal state and an equal report")
    func codableRoundTrip() throws {
        let scenario = try EngagementHealthScenario()
        let state = try replay(scenario)
        let decoded = try JSONDecoder().decode(ProgramHealthState.self, from: try JSONEncoder().encode(state))
        #expect(decoded == state)
        #expect(decoded.report(asOf: scenario.day(60)) == state.report(asOf: scenario.day(60)))
        let report = state.report(asOf: scenario.day(60))
        let reportCopy = try JSONDecoder().decode(ProgramHealthReport.self, from: try JSONEncoder().encode(report))
        #expect(reportCopy == report)
        #expect(reportCopy.digest == report.digest)
    }

    @Test("a simulated program replays into plausible values")
    func simulatedProgram() throws {
        let directory = try TemporaryDirectory("health")
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory)
        defer { ledger.close() }
        let state = try ledger.replay(ProgramHealthProjection()).state
        let report = state.report(asOf: config.start.adding(seconds: Double(config.days) * 86_400))
        let all = report.overall
        #expect(all.pairsStarted == 30)
        #expect(all.activePairs + all.pausedPairs + all.endedPairs == all.pairsStarted)
        #expect(all.ragCounts.total == all.activePairs + all.pausedPairs)
        #expect(all.sessionsHeld > 0)
        #expect(all.ratingCount > 0)
        #expect(report.programs.count == 1)
        #expect(report.program(try ProgramSimulator(config).program) != nil)
        for rate in [all.activationRate, all.activePairRate, all.attendance].compactMap(\.self) {
            #expect((0...1).contains(rate), "\(rate)")
        }
        if let rating = all.averageRating { #expect((1...5).contains(rating)) }
        for pair in report.pairs {
            if let attendance = pair.attendance { #expect((0...1).contains(attendance)) }
            if let rating = pair.averageRating { #expect((1...5).contains(rating)) }
            #expect(pair.rag == HealthFormulas.combine(pair.attendanceRAG, pair.ratingRAG))
        }
        #expect(report.digest == state.report(asOf: report.asOf).digest)
    }
}
