import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

@Suite("Engagement read model")
struct EngagementReadModelTests {
    private func replay(_ scenario: EngagementHealthScenario) throws -> EngagementState {
        try scenario.fixture.ledger.replay(EngagementProjection()).state
    }

    // MARK: - Hand-worked scenario (see EngagementHealthScenario for the log)

    @Test("M1 at day 60: pause excluded from cadence periods, no-show and cancellations ignored, 3 of 4 sessions with feedback")
    func pausedPairAtDay60() throws {
        let scenario = try EngagementHealthScenario()
        let report = try replay(scenario).report(asOf: scenario.day(60))
        let m = try #require(report.mentorship(scenario.m1))
        #expect(m.program == scenario.fixture.program)
        #expect(m.mentor == scenario.fixture.mentor)
        #expect(m.mentee == scenario.fixture.mentee)
        #expect(m.cadenceDays == 7)
        #expect(m.startedAt == scenario.day(0))
        #expect(m.lifecycle == .active) // paused d21, resumed d35
        // Held: S1 d2 60', S2 d9 45', S4 d37 30', S6 d50 90' → 4 sessions, 225 minutes.
        #expect(m.sessionsHeld == 4)
        #expect(m.minutesHeld == 225)
        // Last 30 days = (d30, d60]: S4 + S6 → 2 sessions, 30 + 90 = 120'.
        #expect(m.sessionsLast30Days == 2)
        #expect(m.minutesLast30Days == 120)
        // Last 90 days = (d-30, d60]: all four.
        #expect(m.sessionsLast90Days == 4)
        #expect(m.minutesLast90Days == 225)
        #expect(m.firstSessionAt == scenario.day(2))
        #expect(m.daysToFirstSession == 2.0) // d2 − d0
        #expect(m.lastSessionAt == scenario.day(50))
        #expect(m.daysSinceLastSession == 10.0) // d60 − d50
        // Active clock: 60 days − 14 paused (d21…d35) = 46 active days; d50 is active day 36 → 46 − 36 = 10.
        #expect(m.activeDays == 46.0)
        #expect(m.activeDaysSinceLastSession == 10.0)
        // Periods of 7 active days: S1 a2 → P0, S2 a9 → P1, S4 d37 = a23 → P3, S6 d50 = a36 → P5.
        // 46 / 7 = 6 full periods (P0…P5); the partial P6 (a42…a46) holds no session → not counted.
        #expect(m.elapsedPeriods == 6)
        #expect(m.periodsWithSession == 4) // P0, P1, P3, P5
        #expect(m.cadenceAdherence == 4.0 / 6.0)
        #expect(m.activated) // 4 ≥ 3
        // Feedback on S1 (d3), S2 (d9, d9.5: counts once), S4 (d38); none on S6 → 3 / 4.
        #expect(m.sessionsWithFeedback == 3)
        #expect(m.feedbackCompletion == 3.0 / 4.0)
        // Recency: 10 active days > cadence 7 → 1 − (10 − 7) / (2 · 7) = 1 − 3/14.
        #expect(m.recency == 1 - 3.0 / 14.0)
        // Score = 50 · 4/6 + 30 · (1 − 3/14) + 20 · 3/4 ≈ 71.905.
        #expect(m.engagementScore == 50 * (4.0 / 6.0) + 30 * (1 - 3.0 / 14.0) + 20 * (3.0 / 4.0))
    }

    @Test("M2 at day 60: ended — periods and recency stop at the end; the 30-day window excludes its lower bound")
    func endedPairAtDay60() throws {
        let scenario = try EngagementHealthScenario()
        let report = try replay(scenario).report(asOf: scenario.day(60))
        let m = try #require(report.mentorship(scenario.m2))
        #expect(m.lifecycle == .ended)
        #expect(m.cadenceDays == 14)
        #expect(m.startedAt == scenario.day(20))
        // T1 d22 30' (both), T2 d30 60' (mentee2 only).
        #expect(m.sessionsHeld == 2)
        #expect(m.minutesHeld == 90)
        // (d30, d60]: T2 at exactly d30 is outside.
        #expect(m.sessionsLast30Days == 0)
        #expect(m.minutesLast30Days == 0)
        #expect(m.sessionsLast90Days == 2)
        #expect(m.minutesLast90Days == 90)
        #expect(m.firstSessionAt == scenario.day(22))
        #expect(m.daysToFirstSession == 2.0) // d22 − d20
        #expect(m.lastSessionAt == scenario.day(30))
        #expect(m.daysSinceLastSession == 30.0) // calendar: d60 − d30
        // Active clock stops at the end d40: 20 active days; T2 at active day 10 → 10 active days since.
        #expect(m.activeDays == 20.0)
        #expect(m.activeDaysSinceLastSession == 10.0)
        // 20 / 14 = 1 full period (P0 holds T1 a2 and T2 a10); partial P1 (a14…a20) empty → 1 / 1.
        #expect(m.elapsedPeriods == 1)
        #expect(m.periodsWithSession == 1)
        #expect(m.cadenceAdherence == 1.0)
        #expect(!m.activated) // 2 < 3
        #expect(m.sessionsWithFeedback == 0)
        #expect(m.feedbackCompletion == 0.0) // 0 / 2
        #expect(m.recency == 1.0) // 10 ≤ 14
        #expect(m.engagementScore == 80.0) // 50 · 1 + 30 · 1 + 20 · 0
    }

    @Test("M3 at day 60: no session yet — recency measured from the start, feedback completion nil counts as 1")
    func pairWithoutSessionAtDay60() throws {
        let scenario = try EngagementHealthScenario()
        let report = try replay(scenario).report(asOf: scenario.day(60))
        let m = try #require(report.mentorship(scenario.m3))
        #expect(m.program == scenario.fixture.otherProgram)
        #expect(m.lifecycle == .active)
        #expect(m.sessionsHeld == 0)
        #expect(m.minutesHeld == 0)
        #expect(m.sessionsLast30Days == 0)
        #expect(m.sessionsLast90Days == 0)
        #expect(m.firstSessionAt == nil)
        #expect(m.daysToFirstSession == nil)
        #expect(m.lastSessionAt == nil)
        #expect(m.daysSinceLastSession == nil)
        #expect(m.activeDays == 10.0) // d50 → d60
        #expect(m.activeDaysSinceLastSession == 10.0) // from the start
        // 10 / 7 = 1 full period without a session; partial P1 empty → 0 / 1.
        #expect(m.elapsedPeriods == 1)
        #expect(m.periodsWithSession == 0)
        #expect(m.cadenceAdherence == 0.0)
        #expect(!m.activated)
        #expect(m.sessionsWithFeedback == 0) // the rating-2 feedback names no session
        #expect(m.feedbackCompletion == nil) // 0 held sessions
        #expect(m.recency == 1 - 3.0 / 14.0) // 1 − (10 − 7) / 14
        #expect(m.engagementScore == 50 * 0.0 + 30 * (1 - 3.0 / 14.0) + 20 * 1.0) // ≈ 43.571
    }

    @Test("participants at day 60: attended sessions across mentorships, mean score of their mentorships")
    func participantsAtDay60() throws {
        let scenario = try EngagementHealthScenario()
        let f = scenario.fixture
        let report = try replay(scenario).report(asOf: scenario.day(60))
        #expect(report.participants.count == 5) // mentor, mentee, mentee2, mentor3, mentee3
        let m1Score = 50 * (4.0 / 6.0) + 30 * (1 - 3.0 / 14.0) + 20 * (3.0 / 4.0)
        let m3Score = 50 * 0.0 + 30 * (1 - 3.0 / 14.0) + 20 * 1.0

        let mentor = try #require(report.participant(f.mentor))
        #expect(mentor.mentorships == [scenario.m1, scenario.m2].sorted { $0.uuidString < $1.uuidString })
        #expect(mentor.mentorshipsAsMentor == 2)
        #expect(mentor.mentorshipsAsMentee == 0)
        #expect(mentor.activeMentorships == 1) // M1; M2 ended
        #expect(mentor.activatedMentorships == 1) // M1
        // Attended S1 60', S2 45', S4 30', S6 90' and T1 30' (not T2) → 5 sessions, 255'.
        #expect(mentor.sessionsAttended == 5)
        #expect(mentor.minutesAttended == 255)
        #expect(mentor.sessionsLast30Days == 2) // S4, S6
        #expect(mentor.minutesLast30Days == 120)
        #expect(mentor.sessionsLast90Days == 5)
        #expect(mentor.minutesLast90Days == 255)
        #expect(mentor.lastSessionAt == scenario.day(50))
        #expect(mentor.daysSinceLastSession == 10.0)
        #expect(mentor.averageEngagementScore == (m1Score + 80.0) / 2)

        let mentee = try #require(report.participant(f.mentee))
        #expect(mentee.mentorships == [scenario.m1])
        #expect(mentee.mentorshipsAsMentor == 0)
        #expect(mentee.mentorshipsAsMentee == 1)
        #expect(mentee.activeMentorships == 1)
        #expect(mentee.activatedMentorships == 1)
        #expect(mentee.sessionsAttended == 4)
        #expect(mentee.minutesAttended == 225)
        #expect(mentee.sessionsLast30Days == 2)
        #expect(mentee.minutesLast30Days == 120)
        #expect(mentee.lastSessionAt == scenario.day(50))
        #expect(mentee.averageEngagementScore == m1Score)

        let mentee2 = try #require(report.participant(scenario.mentee2))
        #expect(mentee2.mentorships == [scenario.m2])
        #expect(mentee2.activeMentorships == 0)
        #expect(mentee2.activatedMentorships == 0)
        #expect(mentee2.sessionsAttended == 2) // T1, T2
        #expect(mentee2.minutesAttended == 90)
        #expect(mentee2.sessionsLast30Days == 0) // T2 at exactly d30
        #expect(mentee2.minutesLast30Days == 0)
        #expect(mentee2.sessionsLast90Days == 2)
        #expect(mentee2.minutesLast90Days == 90)
        #expect(mentee2.lastSessionAt == scenario.day(30))
        #expect(mentee2.daysSinceLastSession == 30.0)
        #expect(mentee2.averageEngagementScore == 80.0)

        let mentor3 = try #require(report.participant(scenario.mentor3))
        #expect(mentor3.mentorshipsAsMentor == 1)
        #expect(mentor3.activeMentorships == 1)
        #expect(mentor3.sessionsAttended == 0)
        #expect(mentor3.minutesAttended == 0)
        #expect(mentor3.lastSessionAt == nil)
        #expect(mentor3.daysSinceLastSession == nil)
        #expect(mentor3.averageEngagementScore == m3Score)
        #expect(report.participant(f.outsider) == nil)
    }

    @Test("ranking: the most at-risk pairs first, ended pairs left out unless asked")
    func ranking() throws {
        let scenario = try EngagementHealthScenario()
        let report = try replay(scenario).report(asOf: scenario.day(60))
        // M3 ≈ 43.57 < M1 ≈ 71.90; M2 (80) ended.
        #expect(report.mentorshipsByEngagement.map(\.mentorship) == [scenario.m3, scenario.m1])
        #expect(report.mentorshipsByEngagement(includingEnded: true).map(\.mentorship) == [scenario.m3, scenario.m1, scenario.m2])
        #expect(report.mostAtRisk(1).map(\.mentorship) == [scenario.m3])
        #expect(report.mostAtRisk(10).count == 2)
        #expect(report.mentorships.map(\.mentorship) == [scenario.m1, scenario.m2, scenario.m3].sorted { $0.uuidString < $1.uuidString })
    }

    // MARK: - As-of semantics

    @Test("as of day 30 (M1 paused, M3 not started): later facts are ignored")
    func asOfDay30() throws {
        let scenario = try EngagementHealthScenario()
        let report = try replay(scenario).report(asOf: scenario.day(30))
        #expect(report.mentorships.count == 2) // M3 starts at d50
        #expect(report.mentorship(scenario.m3) == nil)

        let m1 = try #require(report.mentorship(scenario.m1))
        #expect(m1.lifecycle == .paused) // paused d21, resumed only at d35
        #expect(m1.sessionsHeld == 2) // S1, S2
        #expect(m1.minutesHeld == 105) // 60 + 45
        #expect(m1.sessionsLast30Days == 2) // (d0, d30]
        #expect(m1.minutesLast30Days == 105)
        #expect(m1.lastSessionAt == scenario.day(9))
        #expect(m1.daysSinceLastSession == 21.0) // calendar d30 − d9
        #expect(m1.activeDays == 21.0) // d0 → d21, then paused
        #expect(m1.activeDaysSinceLastSession == 12.0) // 21 − 9
        // 21 / 7 = 3 full periods (P0 S1, P1 S2, P2 none); partial P3 has zero length and no session.
        #expect(m1.elapsedPeriods == 3)
        #expect(m1.periodsWithSession == 2)
        #expect(m1.cadenceAdherence == 2.0 / 3.0)
        #expect(!m1.activated)
        #expect(m1.sessionsWithFeedback == 2)
        #expect(m1.feedbackCompletion == 1.0) // 2 / 2
        #expect(m1.recency == 1 - 5.0 / 14.0) // 1 − (12 − 7) / 14
        #expect(m1.engagementScore == 50 * (2.0 / 3.0) + 30 * (1 - 5.0 / 14.0) + 20 * 1.0)

        let m2 = try #require(report.mentorship(scenario.m2))
        #expect(m2.lifecycle == .active) // ends at d40
        #expect(m2.sessionsHeld == 2)
        #expect(m2.sessionsLast30Days == 2) // d22, d30 in (d0, d30]
        #expect(m2.minutesLast30Days == 90)
        #expect(m2.daysSinceLastSession == 0.0)
        #expect(m2.activeDays == 10.0)
        // 10 / 14 = 0 full periods; the partial P0 holds both sessions → counted: 1 / 1.
        #expect(m2.elapsedPeriods == 1)
        #expect(m2.periodsWithSession == 1)
        #expect(m2.cadenceAdherence == 1.0)
        #expect(m2.recency == 1.0)
        #expect(m2.engagementScore == 80.0) // 50 + 30 + 20 · 0/2

        let mentor = try #require(report.participant(scenario.fixture.mentor))
        #expect(mentor.activeMentorships == 1) // M2; M1 paused
        #expect(mentor.sessionsAttended == 3) // S1, S2, T1
        #expect(mentor.minutesAttended == 135)
        #expect(mentor.lastSessionAt == scenario.day(22))
        #expect(mentor.daysSinceLastSession == 8.0)
        #expect(mentor.averageEngagementScore == ((50 * (2.0 / 3.0) + 30 * (1 - 5.0 / 14.0) + 20 * 1.0) + 80.0) / 2)
    }

    @Test("a replay cut at day 30 gives the same day-30 report as the full log; a later asOf changes it")
    func asOfEqualsTimeTravel() throws {
        let scenario = try EngagementHealthScenario()
        let full = try replay(scenario)
        let cut = try scenario.fixture.ledger.replay(EngagementProjection(), .all().through(position: scenario.lastPositionByDay30)).state
        #expect(cut != full)
        #expect(cut.report(asOf: scenario.day(30)) == full.report(asOf: scenario.day(30)))
        #expect(cut.report(asOf: scenario.day(30)).digest == full.report(asOf: scenario.day(30)).digest)
        #expect(full.report(asOf: scenario.day(31)).digest != full.report(asOf: scenario.day(30)).digest)
    }

    @Test("a fresh pair: no period elapsed, everything nil counts as full; the score is 100 until a cadence passes")
    func freshPair() throws {
        let fixture = try MentorshipFixture()
        let state = try fixture.ledger.replay(EngagementProjection()).state
        let m = try #require(state.report(asOf: fixture.day(3)).mentorship(fixture.mentorship))
        #expect(m.elapsedPeriods == 0) // 3 / 7 = 0, partial period empty
        #expect(m.cadenceAdherence == nil)
        #expect(m.feedbackCompletion == nil)
        #expect(m.recency == 1.0) // 3 ≤ 7 days since the start
        #expect(m.engagementScore == 100.0)
        // Day 21 = 3 × cadence without a session: adherence 0 / 3, recency 0.
        let late = try #require(state.report(asOf: fixture.day(21)).mentorship(fixture.mentorship))
        #expect(late.elapsedPeriods == 3)
        #expect(late.cadenceAdherence == 0.0)
        #expect(late.recency == 0.0)
        #expect(late.engagementScore == 20.0) // 0 + 0 + 20 · 1
        #expect(state.report(asOf: fixture.day(-1)).mentorships.isEmpty) // before the start
    }

    // MARK: - Formulas

    @Test("recency: 1 up to the cadence, linear to 0 at 3 × cadence")
    func recencyFormula() {
        #expect(EngagementFormulas.recency(activeDays: 0, cadenceDays: 7) == 1)
        #expect(EngagementFormulas.recency(activeDays: 7, cadenceDays: 7) == 1)
        #expect(EngagementFormulas.recency(activeDays: 14, cadenceDays: 7) == 0.5) // 1 − 7/14
        #expect(EngagementFormulas.recency(activeDays: 21, cadenceDays: 7) == 0)
        #expect(EngagementFormulas.recency(activeDays: 100, cadenceDays: 7) == 0)
        #expect(EngagementFormulas.score(cadenceAdherence: nil, recency: 0.5, feedbackCompletion: nil) == 85) // 50 + 15 + 20
    }

    @Test("active clock: overlapping and open pauses merge, a resume before its pause is empty, the end stops the clock")
    func activeClock() {
        let d = MentorshipFixture.day
        let clock = EngagementClock(
            start: d(0), endedAt: d(50),
            pauses: [MentorshipPauseFact(pausedAt: d(10), resumedAt: d(20)), MentorshipPauseFact(pausedAt: d(15), resumedAt: d(25)),
                     MentorshipPauseFact(pausedAt: d(30), resumedAt: d(29)), MentorshipPauseFact(pausedAt: d(45))],
            asOf: d(60))
        // Horizon d50; paused [10, 25) ∪ [45, 50) = 20 days → 30 active days.
        #expect(clock.totalActiveMicros == 30 * EngagementClock.microsPerDay)
        #expect(clock.activeMicros(at: d(12)) == 10 * EngagementClock.microsPerDay) // stands still in a pause
        #expect(clock.activeMicros(at: d(26)) == 11 * EngagementClock.microsPerDay) // 10 + (26 − 25)
        #expect(clock.activeMicros(at: d(-5)) == 0)
        #expect(clock.activeMicros(at: d(70)) == 30 * EngagementClock.microsPerDay)
        // A session exactly on a period boundary opens the next period.
        let periods = EngagementFormulas.cadencePeriods(clock: clock, cadenceDays: 7, heldAt: [d(7), d(26)])
        // 30 / 7 = 4 full periods; d7 = a7 → P1, d26 = a11 → P1: one period with a session.
        #expect(periods.elapsed == 4)
        #expect(periods.withSession == 1)
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

        try scenario.fixture.record(scenario.fixture.sessionHeld(attendees: [scenario.mentor3, scenario.mentee3]),
                                    by: scenario.mentor3, at: 70, on: scenario.m3)
        let afterLateEvent = try replay(scenario)
        #expect(afterLateEvent.report(asOf: asOf).digest == first.digest, "a fact dated after asOf does not count")
        #expect(afterLateEvent.report(asOf: scenario.day(70)).mentorship(scenario.m3)?.sessionsHeld == 1)

        try scenario.fixture.record(scenario.fixture.sessionHeld(attendees: [scenario.mentor3, scenario.mentee3]),
                                    by: scenario.mentor3, at: 59, on: scenario.m3)
        let afterEvent = try replay(scenario).report(asOf: asOf)
        #expect(afterEvent.digest != first.digest)
        #expect(afterEvent.mentorship(scenario.m3)?.sessionsHeld == 1)
    }

    @Test("the state round-trips through JSON to an equal state and an equal report")
    func codableRoundTrip() throws {
        let scenario = try EngagementHealthScenario()
        let state = try replay(scenario)
        let data = try JSONEncoder().encode(state)
        let decoded = try JSONDecoder().decode(EngagementState.self, from: data)
        #expect(decoded == state)
        #expect(decoded.report(asOf: scenario.day(60)) == state.report(asOf: scenario.day(60)))
        let report = state.report(asOf: scenario.day(60))
        let reportCopy = try JSONDecoder().decode(EngagementReport.self, from: try JSONEncoder().encode(report))
        #expect(reportCopy == report)
        #expect(reportCopy.digest == report.digest)
    }

    @Test("a simulated program replays into plausible values")
    func simulatedProgram() throws {
        let directory = try TemporaryDirectory("engagement")
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory)
        defer { ledger.close() }
        let result = try ledger.replay(EngagementProjection())
        #expect(result.eventsApplied > 0)
        let report = result.state.report(asOf: config.start.adding(seconds: Double(config.days) * 86_400))
        #expect(report.mentorships.count == 30)
        #expect(report.mentorships.contains { $0.sessionsHeld > 0 })
        #expect(report.mentorships.contains { $0.activated })
        for m in report.mentorships {
            #expect((0...100).contains(m.engagementScore), "\(m.engagementScore)")
            #expect((0...1).contains(m.recency))
            for rate in [m.cadenceAdherence, m.feedbackCompletion].compactMap(\.self) {
                #expect((0...1).contains(rate), "\(rate)")
            }
            #expect(m.periodsWithSession <= m.elapsedPeriods)
            #expect(m.sessionsLast30Days <= m.sessionsLast90Days && m.sessionsLast90Days <= m.sessionsHeld)
            #expect(m.activeDays >= 0 && m.activeDaysSinceLastSession <= m.activeDays)
        }
        #expect(report.participants.count >= 2)
        #expect(report.digest == result.state.report(asOf: report.asOf).digest)
    }
}
