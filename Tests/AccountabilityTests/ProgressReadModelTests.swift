import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// A scripted mentorship (fixture pair, cadence 7, start day 0), goals owned by the mentee unless
/// said otherwise, worked by hand as of day 31 (and day 15):
///
/// - G1: 0 → 10, set d1, deadline d61; measured 3 at d11, 5 at d21.
/// - G2: 100 → 50 (decreasing), set d2, deadline d32; revised d10 target 70 (easier: closer to the
///   baseline), d15 deadline d42 (easier: later), d20 target 60 (harder); measured 85 at d25.
/// - G3: 0 → 10, set d3, deadline d23, no measurement; linked tasks T1 (done d9), T2 (cancelled
///   d11), T3 (open), T4 (done d21), T5 (done d13).
/// - G4: set d5, deadline d20, achieved d18.
/// - G5: set d6, deadline d26, abandoned d16.
/// - G6: set d7, deadline d27, revised d20 deadline d29 (easier), achieved d30 (late).
/// - G7 (owned by the mentor): set d8, deadline d90, nothing else.
/// - A pause d12–d14 (progress ignores pauses: expected % is calendar time).
final class ProgressScenario: Sendable {
    let f: MentorshipFixture
    let g1 = UUID(), g2 = UUID(), g3 = UUID(), g4 = UUID(), g5 = UUID(), g6 = UUID(), g7 = UUID()
    /// The position of the last event at or before day 15.
    let positionByDay15: UInt64

    init() throws {
        let f = try MentorshipFixture()
        self.f = f
        let m = f.mentee
        func goal(_ id: UUID, baseline: Double = 0, target: Double = 10, deadline: Double, owner: UUID? = nil, at day: Double) throws {
            let metric = GoalMetric(name: "metric", unit: "u", baseline: baseline, target: target)
            try f.record(f.goalSet(id, owner: owner ?? m, metric: metric, deadline: f.day(deadline)), by: m, at: day)
        }
        try goal(g1, deadline: 61, at: 1)
        try goal(g2, baseline: 100, target: 50, deadline: 32, at: 2)
        try goal(g3, deadline: 23, at: 3)
        let t1 = UUID(), t2 = UUID(), t3 = UUID(), t4 = UUID(), t5 = UUID()
        try f.record(f.taskAssigned(t1, due: f.day(10), goal: g3), at: 3)
        try f.record(f.taskAssigned(t2, due: f.day(12), goal: g3), at: 3)
        try f.record(f.taskAssigned(t3, due: f.day(20), goal: g3), at: 4)
        try f.record(f.taskAssigned(t4, due: f.day(22), goal: g3), at: 5)
        try f.record(f.taskAssigned(t5, due: f.day(14), goal: g3), at: 5)
        try goal(g4, deadline: 20, at: 5)
        try goal(g5, deadline: 26, at: 6)
        try goal(g6, deadline: 27, at: 7)
        try goal(g7, deadline: 90, owner: f.mentor, at: 8)
        try f.record(TaskCompleted(task: t1), by: m, at: 9)
        try f.record(GoalRevised(goal: g2, reason: "too ambitious", target: 70), by: m, at: 10)
        try f.record(GoalProgressRecorded(goal: g1, value: 3), by: m, at: 11)
        try f.record(TaskCancelled(task: t2, reason: "not needed"), by: m, at: 11)
        try f.record(MentorshipPaused(reason: "holiday"), at: 12)
        try f.record(TaskCompleted(task: t5), by: m, at: 13)
        try f.record(MentorshipResumed(), at: 14)
        let day15 = try f.record(GoalRevised(goal: g2, reason: "more time", deadline: f.day(42)), by: m, at: 15)
        positionByDay15 = day15.positions.upperBound - 1
        try f.record(GoalAbandoned(goal: g5, reason: "changed role"), by: m, at: 16)
        try f.record(GoalAchieved(goal: g4), by: m, at: 18)
        try f.record(GoalRevised(goal: g2, reason: "stretch", target: 60), by: m, at: 20)
        try f.record(GoalRevised(goal: g6, reason: "more time", deadline: f.day(29)), by: m, at: 20)
        try f.record(TaskCompleted(task: t4), by: m, at: 21)
        try f.record(GoalProgressRecorded(goal: g1, value: 5), by: m, at: 21)
        try f.record(GoalProgressRecorded(goal: g2, value: 85), by: m, at: 25)
        try f.record(GoalAchieved(goal: g6, finalValue: 10), by: m, at: 30)
    }

    func report(asOf day: Double) throws -> ProgressReport {
        try f.ledger.replay(ProgressProjection()).state.report(asOf: f.day(day))
    }
}

@Suite("Progress read model")
struct ProgressReadModelTests {
    @Test("every goal metric as of day 31, worked by hand")
    func goalsAsOfDay31() throws {
        let s = try ProgressScenario()
        let report = try s.report(asOf: 31)
        #expect(report.goals.count == 7)
        #expect(report.goals.map(\.goal.uuidString) == report.goals.map(\.goal.uuidString).sorted())

        let g1 = try #require(report.goal(s.g1))
        #expect(g1.status == .active)
        #expect(g1.latestValue == 5)
        #expect(g1.basis == .measurement)
        #expect(g1.progressPercent == 50)            // (5 − 0) / (10 − 0) × 100
        #expect(g1.expectedPercent == 50)            // (31 − 1) / (61 − 1) = 30 / 60
        #expect(g1.onTrack)                          // 50 ≥ 50 − 10
        #expect(g1.revisions == 0 && g1.easierRevisions == 0)
        #expect(g1.target == 10 && g1.deadline == s.f.day(61))

        let g2 = try #require(report.goal(s.g2))
        #expect(g2.status == .active)                // deadline revised to d42
        #expect(g2.target == 60 && g2.deadline == s.f.day(42))
        #expect(g2.progressPercent == 37.5)          // (85 − 100) / (60 − 100) = −15 / −40
        #expect(g2.expectedPercent == 29.0 / 40.0 * 100) // (31 − 2) / (42 − 2)
        #expect(!g2.onTrack)                         // 37.5 < 72.5 − 10
        #expect(g2.revisions == 3)
        #expect(g2.easierRevisions == 2)             // target 50→70 (closer to 100), deadline later; 70→60 is harder
        #expect(g2.gap == 29.0 / 40.0 * 100 - 37.5)

        let g3 = try #require(report.goal(s.g3))
        #expect(g3.status == .overdue)               // deadline d23 < d31, still open
        #expect(g3.basis == .tasks)
        #expect(g3.linkedTasks == 4)                 // T1, T3, T4, T5 (T2 cancelled)
        #expect(g3.completedLinkedTasks == 3)        // T1, T4, T5
        #expect(g3.progressPercent == 75)            // 3 / 4
        #expect(g3.expectedPercent == 100)           // past its deadline: clamped
        #expect(!g3.onTrack)                         // 75 < 100 − 10
        #expect(g3.latestValue == nil)

        let g4 = try #require(report.goal(s.g4))
        #expect(g4.status == .achieved)
        #expect(g4.basis == .achieved)
        #expect(g4.progressPercent == 100)
        #expect(g4.expectedPercent == 13.0 / 15.0 * 100) // frozen at achievement: (18 − 5) / (20 − 5)
        #expect(g4.onTrack)
        #expect(g4.achievedAt == s.f.day(18))
        #expect(g4.achievedOnTime)

        let g5 = try #require(report.goal(s.g5))
        #expect(g5.status == .abandoned)
        #expect(g5.basis == ProgressBasis.none)
        #expect(g5.progressPercent == 0)
        #expect(g5.expectedPercent == 50)            // frozen at abandonment: (16 − 6) / (26 − 6)
        #expect(!g5.onTrack)
        #expect(g5.abandonedAt == s.f.day(16))

        let g6 = try #require(report.goal(s.g6))
        #expect(g6.status == .achieved)
        #expect(g6.deadline == s.f.day(29))
        #expect(g6.latestValue == 10)                // the final value
        #expect(g6.progressPercent == 100)
        #expect(g6.expectedPercent == 100)           // (30 − 7) / (29 − 7) > 1, clamped
        #expect(!g6.achievedOnTime)                  // d30 > d29
        #expect(g6.revisions == 1 && g6.easierRevisions == 1)

        let g7 = try #require(report.goal(s.g7))
        #expect(g7.owner == s.f.mentor)
        #expect(g7.status == .active)
        #expect(g7.basis == ProgressBasis.none)
        #expect(g7.progressPercent == 0)
        #expect(g7.expectedPercent == 23.0 / 82.0 * 100) // (31 − 8) / (90 − 8)
        #expect(!g7.onTrack)                         // 0 < 28.05 − 10

        // Furthest behind (open goals with expected − progress > 0): G2 35, G7 28.05, G3 25; G1 has 0.
        #expect(report.goalsFurthestBehind(limit: 2).map(\.goal) == [s.g2, s.g7])
        #expect(report.goalsFurthestBehind(limit: 10).map(\.goal) == [s.g2, s.g7, s.g3])
        #expect(report.goalsFurthestBehind(limit: 0).isEmpty)
    }

    @Test("rollups per mentorship, mentee, mentor, program and overall as of day 31")
    func rollups() throws {
        let s = try ProgressScenario()
        let report = try s.report(asOf: 31)
        let all = report.overall
        #expect(all.goalsSet == 7)
        #expect(all.active == 3)                     // G1, G2, G7
        #expect(all.overdue == 1)                    // G3
        #expect(all.achieved == 2)                   // G4, G6
        #expect(all.abandoned == 1)                  // G5
        #expect(all.openOnTrack == 1)                // G1
        #expect(all.completionRate == 2.0 / 6.0)     // 2 achieved / (7 set − 1 abandoned)
        #expect(all.goalsDue == 3)                   // deadline ≤ d31, not abandoned: G3 (d23), G4 (d20), G6 (d29)
        #expect(all.achievedOnTime == 1)             // G4
        #expect(all.onTimeAchievementRate == 1.0 / 3.0)
        #expect(all.revisions == 4)                  // G2 3 + G6 1
        #expect(all.easierRevisions == 3)            // G2 2 + G6 1
        #expect(all.revisionChurn == 4.0 / 7.0)
        #expect(all.easierRevisionChurn == 3.0 / 7.0)
        #expect(all.meanProgressPercent == 362.5 / 6) // (50 + 37.5 + 75 + 100 + 100 + 0) / 6, G5 abandoned

        let mentorship = try #require(report.mentorships[s.f.mentorship])
        #expect(mentorship.goals == all)
        #expect(mentorship.mentee == s.f.mentee && mentorship.mentor == s.f.mentor && mentorship.program == s.f.program)
        #expect(!mentorship.ended)
        #expect(report.programs[s.f.program] == all)
        #expect(report.programs.count == 1)

        let mentee = try #require(report.participants[s.f.mentee])
        #expect(mentee.goalsSet == 6)
        #expect(mentee.active == 2)
        #expect(mentee.completionRate == 2.0 / 5.0)  // 2 / (6 − 1)
        #expect(mentee.meanProgressPercent == 362.5 / 5)
        let mentor = try #require(report.participants[s.f.mentor])
        #expect(mentor.goalsSet == 1 && mentor.active == 1 && mentor.openOnTrack == 0)
        #expect(mentor.completionRate == 0)          // 0 / (1 − 0)
        #expect(mentor.onTimeAchievementRate == nil) // no deadline passed yet
        #expect(mentor.revisionChurn == 0)
        #expect(mentor.meanProgressPercent == 0)
    }

    @Test("as of day 15 only what had happened by then counts")
    func asOfDay15() throws {
        let s = try ProgressScenario()
        let report = try s.report(asOf: 15)
        #expect(report.goals.count == 7)
        let g2 = try #require(report.goal(s.g2))
        #expect(g2.revisions == 2 && g2.easierRevisions == 2)   // d10 target 70, d15 deadline d42
        #expect(g2.target == 70 && g2.deadline == s.f.day(42))
        #expect(g2.basis == ProgressBasis.none && g2.progressPercent == 0) // the d25 measurement is later
        let g3 = try #require(report.goal(s.g3))
        #expect(g3.status == .active)
        #expect(g3.completedLinkedTasks == 2 && g3.linkedTasks == 4) // T1 (d9), T5 (d13); T4 only at d21
        #expect(g3.progressPercent == 50)
        #expect(g3.expectedPercent == 60)            // (15 − 3) / (23 − 3)
        #expect(g3.onTrack)                          // 50 ≥ 60 − 10
        let g1 = try #require(report.goal(s.g1))
        #expect(g1.latestValue == 3)
        #expect(g1.progressPercent == 3.0 / 10.0 * 100)
        #expect(report.goal(s.g4)?.status == .active)
        #expect(report.goal(s.g5)?.status == .active)
        #expect(report.overall.achieved == 0 && report.overall.goalsDue == 0)
        #expect(report.overall.completionRate == 0)
        #expect(report.overall.onTimeAchievementRate == nil)
        // The same report from the log cut at day 15 (time travel by position).
        let cut = try s.f.ledger.replay(ProgressProjection(), .all().through(position: s.positionByDay15)).state.report(asOf: s.f.day(15))
        #expect(cut == report)
        #expect(cut.digest == report.digest)
        // Before day 1 no goal exists.
        #expect(try s.report(asOf: 0.5).goals.isEmpty)
    }

    @Test("digest: same log twice gives the same digest, one more event another")
    func digest() throws {
        let s = try ProgressScenario()
        let a = try s.report(asOf: 31), b = try s.report(asOf: 31)
        #expect(a.digest == b.digest)
        #expect(a.digest.count == 64)
        try s.f.record(GoalProgressRecorded(goal: s.g1, value: 6), by: s.f.mentee, at: 31)
        let c = try s.report(asOf: 31)
        #expect(c.digest != a.digest)
        #expect(c.goal(s.g1)?.progressPercent == 6.0 / 10.0 * 100)
        #expect(try s.report(asOf: 32).digest != c.digest)
    }

    @Test("state and report survive a JSON round trip")
    func codable() throws {
        let s = try ProgressScenario()
        let state = try s.f.ledger.replay(ProgressProjection()).state
        let decoded = try ReadModelTestSupport.roundTrip(state)
        #expect(decoded == state)
        #expect(decoded.report(asOf: s.f.day(31)) == state.report(asOf: s.f.day(31)))
        let report = state.report(asOf: s.f.day(31))
        #expect(try ReadModelTestSupport.roundTrip(report) == report)
    }

    @Test("a simulated program gives plausible values")
    func simulated() throws {
        let directory = try TemporaryDirectory()
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory)
        let state = try ledger.replay(ProgressProjection()).state
        let report = state.report(asOf: config.start.adding(seconds: Double(config.days) * 86_400))
        #expect(report.mentorships.count == config.mentorships)
        #expect(!report.goals.isEmpty)
        for goal in report.goals {
            #expect((0...100).contains(goal.progressPercent))
            #expect((0...100).contains(goal.expectedPercent))
        }
        for rate in [report.overall.completionRate, report.overall.onTimeAchievementRate] {
            if let rate { #expect((0...1).contains(rate)) }
        }
        let behind = report.goalsFurthestBehind(limit: 5)
        #expect(behind.count <= 5)
        #expect(zip(behind, behind.dropFirst()).allSatisfy { $0.gap >= $1.gap })
        #expect(state.report(asOf: report.asOf).digest == report.digest)
    }
}
