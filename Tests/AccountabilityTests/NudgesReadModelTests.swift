import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// Three mentorships of the fixture's program, worked by hand.
///
/// M (fixture pair A/B, cadence 7 → no-session threshold max(14, 10.5) = 14 days, start d0):
///   d1 goal G (B, 0 → 10, deadline d50) · d1 task K1 (B, due d8) · d11 NudgeSent firstSession → A
///   · d13 held S1 · d14 K1 done · d15 task K3 (B, due d22) · d16 feedback B→A about S1 rated 2
///   · d17 NudgeSent lowRating S1 → admin · d20 paused · d30 resumed · d30 G measured 2
///   · d32 K3 done · d38 NudgeSent noRecentSession → A and → B · d40 held S2 · d40 feedback
///   A→B about S2 (5) · d41 S3 scheduled for d44, S4 for d46, task K2 (A, due d50) · d44 S3
///   missed (mentor) · d44 NudgeSent goalDeadlineAtRisk G → B · d45 G measured 3 · d46 S4
///   missed (mentee)
/// M2 (A with mentee2, start d0): d1 held T1 · d2 feedback mentee2→A about T1 (4) ·
///   d95 NudgeSent inactive → the system account (a global admin)
/// M3 (A with mentee3, start d0): d1 task K9 (mentee3, due d3) · d5 ended by the admin
final class NudgeScenario: Sendable {
    let f: MentorshipFixture
    let m2 = UUID(), m3 = UUID(), mentee2 = UUID(), mentee3 = UUID()
    let goal = UUID(), k1 = UUID(), k2 = UUID(), k3 = UUID(), k9 = UUID()
    let s1 = UUID(), s2 = UUID(), s3 = UUID(), s4 = UUID(), t1 = UUID()
    var m: UUID { f.mentorship }
    var a: NudgeRecipient { .participant(f.mentor) }
    var b: NudgeRecipient { .participant(f.mentee) }
    var admins: NudgeRecipient { .programAdmins(program: f.program) }

    init() throws {
        let f = try MentorshipFixture()
        self.f = f
        let admin = f.admin
        try f.record(f.started(m2, mentee: mentee2), at: 0, on: m2)
        try f.record(f.started(m3, mentee: mentee3), at: 0, on: m3)
        try f.record(f.goalSet(goal, deadline: f.day(50)), by: f.mentee, at: 1)
        try f.record(f.taskAssigned(k1, due: f.day(8)), at: 1)
        try f.record(f.sessionHeld(t1, attendees: [f.mentor, mentee2]), at: 1, on: m2)
        try f.record(f.taskAssigned(k9, assignee: mentee3, due: f.day(3)), at: 1, on: m3)
        try f.record(f.feedback(from: mentee2, to: f.mentor, rating: 4, session: t1), by: mentee2, at: 2, on: m2)
        try f.record(MentorshipEnded(endedBy: .admin, reason: .badFit), by: admin, at: 5, on: m3)
        try f.record(NudgeSent(rule: .firstSessionOverdue, subject: m, recipient: f.mentor), by: admin, at: 11)
        try f.record(f.sessionHeld(s1), at: 13)
        try f.record(TaskCompleted(task: k1), by: f.mentee, at: 14)
        try f.record(f.taskAssigned(k3, due: f.day(22)), at: 15)
        try f.record(f.feedback(rating: 2, session: s1), by: f.mentee, at: 16)
        try f.record(NudgeSent(rule: .lowRating, subject: s1, recipient: admin), by: admin, at: 17)
        try f.record(MentorshipPaused(reason: "holiday", until: f.day(30)), at: 20)
        try f.record(MentorshipResumed(), at: 30)
        try f.record(GoalProgressRecorded(goal: goal, value: 2), by: f.mentee, at: 30)
        try f.record(TaskCompleted(task: k3), by: f.mentee, at: 32)
        try f.record(NudgeSent(rule: .noRecentSession, subject: m, recipient: f.mentor), by: admin, at: 38)
        try f.record(NudgeSent(rule: .noRecentSession, subject: m, recipient: f.mentee), by: admin, at: 38)
        try f.record(f.sessionHeld(s2), at: 40)
        try f.record(f.feedback(from: f.mentor, to: f.mentee, rating: 5, session: s2), by: f.mentor, at: 40)
        try f.record(f.sessionScheduled(s3, for: f.day(44)), at: 41)
        try f.record(f.sessionScheduled(s4, for: f.day(46)), at: 41)
        try f.record(f.taskAssigned(k2, assignee: f.mentor, due: f.day(50)), at: 41)
        try f.record(SessionMissed(session: s3, absent: .mentor), at: 44)
        try f.record(NudgeSent(rule: .goalDeadlineAtRisk, subject: goal, recipient: f.mentee), by: admin, at: 44)
        try f.record(GoalProgressRecorded(goal: goal, value: 3), by: f.mentee, at: 45)
        try f.record(SessionMissed(session: s4, absent: .mentee), at: 46)
        try f.record(NudgeSent(rule: .inactive, subject: m2, recipient: f.system), by: f.system, at: 95, on: m2)
    }

    func report(asOf day: Double) throws -> NudgeReport {
        try f.ledger.replay(NudgeProjection()).state.report(asOf: f.day(day))
    }

    /// A due nudge of M's program.
    func due(_ rule: NudgeRule, _ subject: UUID, _ recipient: NudgeRecipient, began day: Double, in mentorship: UUID? = nil) -> DueNudge {
        DueNudge(rule: rule, mentorship: mentorship ?? m, program: f.program, subject: subject, recipient: recipient, conditionBegan: f.day(day))
    }

    /// `nudges` in report order.
    func sorted(_ nudges: [DueNudge]) -> [DueNudge] {
        nudges.sorted { x, y in
            if x.mentorship != y.mentorship { return x.mentorship.uuidString < y.mentorship.uuidString }
            if x.rule != y.rule { return x.rule.rawValue < y.rule.rawValue }
            if x.subject != y.subject { return x.subject.uuidString < y.subject.uuidString }
            return "\(x.recipient)" < "\(y.recipient)" // only used where recipients differ in kind or both are participants
        }
    }
}

@Suite("Nudges read model")
struct NudgesReadModelTests {
    @Test("first session, overdue task and a nudge already sent to one of two recipients (day 12)")
    func day12() throws {
        let s = try NudgeScenario()
        let report = try s.report(asOf: 12)
        // No session by d10 (start + 10 days) → both; the mentor's was sent at d11 ≥ d10.
        // K1 due d8, open → the mentee. M2 and M3 owe nothing (M3 ended at d5).
        #expect(Set(report.nudges) == [
            s.due(.firstSessionOverdue, s.m, s.b, began: 10),
            s.due(.taskOverdue, s.k1, s.b, began: 8),
        ])
        #expect(report.nudges(for: s.a).isEmpty)
        #expect(report.nudges(in: s.m3).isEmpty)
    }

    @Test("feedback missing 48 h after a session, then a low rating, then answered (days 15.5–17)")
    func feedbackAndLowRating() throws {
        let s = try NudgeScenario()
        // S1 held d13, no feedback by d15 (13 + 48 h) → both; the first-session nudge has cleared.
        #expect(Set(try s.report(asOf: 15.5).nudges(in: s.m)) == [
            s.due(.feedbackMissing, s.s1, s.a, began: 15),
            s.due(.feedbackMissing, s.s1, s.b, began: 15),
        ])
        // d16: feedback about S1 (clears feedbackMissing) rated 2 → the admins, subject S1.
        #expect(try s.report(asOf: 16).nudges(in: s.m) == [s.due(.lowRating, s.s1, s.admins, began: 16)])
        // d17: NudgeSent to one admin answers it for the program's admins.
        #expect(try s.report(asOf: 17).nudges(in: s.m).isEmpty)
    }

    @Test("a paused mentorship owes nothing, and paused time stops the clock")
    func pause() throws {
        let s = try NudgeScenario()
        // d25, paused since d20: K3 (due d22) is overdue, but nothing is due while paused.
        #expect(try s.report(asOf: 25).nudges(in: s.m).isEmpty)
        #expect(try s.report(asOf: 25).nudges(in: s.m2).count == 2) // M2 is not paused: no session since d1 (d15)
        // d31, resumed at d30: K3 is due again (began d22). No recent session? S1 held d13:
        // 7 unpaused days to d20, 10 paused, 7 more → d37 (it would be d27 without the pause).
        #expect(try s.report(asOf: 31).nudges(in: s.m) == [s.due(.taskOverdue, s.k3, s.b, began: 22)])
        #expect(Set(try s.report(asOf: 37.5).nudges(in: s.m)) == [
            s.due(.noRecentSession, s.m, s.a, began: 37),
            s.due(.noRecentSession, s.m, s.b, began: 37),
        ])
        // d38: both sent.
        #expect(try s.report(asOf: 38).nudges(in: s.m).isEmpty)
    }

    @Test("goal deadline at risk: begins when the deadline is 7 days away while off track")
    func goalAtRisk() throws {
        let s = try NudgeScenario()
        // d43.5: G measured 2 (20 %), expected (43.5 − 1) / (50 − 1) = 86.7 % → off track since
        // d15.7; its deadline d50 is within 7 days from d43 → the owner, began d43.
        #expect(try s.report(asOf: 43.5).nudges(in: s.m) == [s.due(.goalDeadlineAtRisk, s.goal, s.b, began: 43)])
    }

    @Test("day 55: a sent nudge re-arms once its condition clears and returns; a continuing episode stays answered")
    func rearm() throws {
        let s = try NudgeScenario()
        let report = try s.report(asOf: 55)
        // noRecentSession: sent at d38, cleared by S2 at d40, back at d40 + 14 = d54 → due again.
        // taskOverdue K2 (A, due d50). noShowStreak: S3 (d44), S4 (d46) missed in a row → admins
        // from d46. G: its episode began d43 and continued through the d45 measurement (30 % is
        // still off track), so the NudgeSent at d44 still answers it.
        #expect(Set(report.nudges(in: s.m)) == [
            s.due(.noRecentSession, s.m, s.a, began: 54),
            s.due(.noRecentSession, s.m, s.b, began: 54),
            s.due(.taskOverdue, s.k2, s.a, began: 50),
            s.due(.noShowStreak, s.m, s.admins, began: 46),
        ])
        #expect(report.nudges(of: .goalDeadlineAtRisk).isEmpty)
        #expect(report.nudges == s.sorted(report.nudges))
    }

    @Test("inactivity after 90 days, answered by any admin; ended mentorships owe nothing")
    func inactivity() throws {
        let s = try NudgeScenario()
        // M2: last activity d2 (feedback) → inactive from d92; last held d1 → no session from d15.
        #expect(Set(try s.report(asOf: 94).nudges(in: s.m2)) == [
            s.due(.noRecentSession, s.m2, s.a, began: 15, in: s.m2),
            s.due(.noRecentSession, s.m2, .participant(s.mentee2), began: 15, in: s.m2),
            s.due(.inactive, s.m2, s.admins, began: 92, in: s.m2),
        ])
        // d95 NudgeSent (to the system account) answers the admins' nudge, and is not activity.
        #expect(try s.report(asOf: 100).nudges(in: s.m2).map(\.rule) == [.noRecentSession, .noRecentSession])
        // M3: K9 (due d3) overdue at d4; ended at d5 → nothing afterwards.
        #expect(try s.report(asOf: 4).nudges(in: s.m3) == [s.due(.taskOverdue, s.k9, .participant(s.mentee3), began: 3, in: s.m3)])
        #expect(try s.report(asOf: 100).nudges(in: s.m3).isEmpty)
    }

    @Test("feedback missing concerns only the latest held session: a later session supersedes an earlier one")
    func feedbackMissingLatestOnly() throws {
        let f = try MentorshipFixture()
        let first = UUID(), second = UUID()
        try f.record(f.sessionHeld(first), at: 1)
        // As of day 3.5: 60 h after the first session, nobody gave feedback → due to both.
        let mentorship = f.mentorship
        func feedbackNudges(_ day: Double) throws -> [DueNudge] {
            try f.ledger.replay(NudgeProjection()).state.report(asOf: f.day(day)).nudges(of: .feedbackMissing)
        }
        #expect(Set(try feedbackNudges(3.5).map(\.subject)) == [first])
        #expect(try feedbackNudges(3.5).count == 2)
        // A second session at day 4: the first no longer owes a reminder; the second does after 48 h.
        try f.record(f.sessionHeld(second), at: 4)
        #expect(try feedbackNudges(5).isEmpty)
        #expect(Set(try feedbackNudges(6.5).map(\.subject)) == [second])
        #expect(try feedbackNudges(6.5).allSatisfy { $0.mentorship == mentorship && $0.conditionBegan == f.day(6) })
    }

    @Test("digest: same log twice gives the same digest, one more event another")
    func digest() throws {
        let s = try NudgeScenario()
        let first = try s.report(asOf: 55)
        #expect(try s.report(asOf: 55).digest == first.digest)
        try s.f.record(NudgeSent(rule: .noShowStreak, subject: s.m, recipient: s.f.admin), by: s.f.admin, at: 50)
        let second = try s.report(asOf: 55)
        #expect(second.digest != first.digest)
        #expect(second.nudges(of: .noShowStreak).isEmpty)
    }

    @Test("state and report survive a JSON round trip")
    func codable() throws {
        let s = try NudgeScenario()
        let state = try s.f.ledger.replay(NudgeProjection()).state
        let decoded = try ReadModelTestSupport.roundTrip(state)
        #expect(decoded == state)
        #expect(decoded.report(asOf: s.f.day(55)) == state.report(asOf: s.f.day(55)))
        let report = state.report(asOf: s.f.day(55))
        #expect(try ReadModelTestSupport.roundTrip(report) == report)
    }

    @Test("a simulated program gives plausible values")
    func simulated() throws {
        let directory = try TemporaryDirectory()
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory)
        let state = try ledger.replay(NudgeProjection()).state
        let asOf = config.start.adding(seconds: Double(config.days) * 86_400)
        let report = state.report(asOf: asOf)
        #expect(!report.nudges.isEmpty)
        #expect(report.nudges.allSatisfy { $0.conditionBegan <= asOf })
        #expect(Set(report.nudges).count == report.nudges.count)
        let keys = report.nudges.map { "\($0.rule.rawValue)|\($0.subject)|\($0.recipient)" }
        #expect(Set(keys).count == keys.count)       // one per (rule, subject, recipient)
        #expect(state.report(asOf: asOf).digest == report.digest)
    }
}
