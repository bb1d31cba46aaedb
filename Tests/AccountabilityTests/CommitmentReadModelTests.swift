import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// Two mentorships sharing the fixture's mentor A, worked by hand as of day 30 (and day 21).
///
/// M1 (A mentors B, start d0):
///   sessions — S1 held d2 (both) · S2 scheduled d4 for d9, missed d9 (mentee) · S3 held d10 (both)
///   · S4 scheduled d11 for d16, cancelled by B at d15.5 (12 h notice: short) · S5 scheduled d12
///   for d20, cancelled by A at d13 (7 days: fine) · S6 scheduled d14 for d21, cancelled by A at
///   d20.5 (12 h: short) · S7 held d17 (A only) · S10 held d23 (both) · S8 scheduled d22 for d24,
///   missed d24 (both) · S9 scheduled d25 for d27, missed d27 (mentee)
///   tasks — K1 B d1 due d8 done d7 · K2 B d1 due d12 done d14 (late) · K3 B d5 due d20 open ·
///   K4 A d5 due d25 done d25 (exactly on time) · K5 A d6 due d18 cancelled d19 · K6 B d20 due d40
///   open · K7 A d21 due d28 open
///   feedback — F1 d2.5 B→A about S1 (4) · F2 d10.5 A→B about S3 (5) · F3 d11 B→A no session (3)
/// M2 (A mentors C, start d5): S20 scheduled d20 for d28, missed d28 (mentor).
final class CommitmentScenario: Sendable {
    let f: MentorshipFixture
    let m2 = UUID(), menteeC = UUID()
    let k3 = UUID(), k7 = UUID()
    var a: UUID { f.mentor }
    var b: UUID { f.mentee }

    init() throws {
        let f = try MentorshipFixture()
        self.f = f
        let a = f.mentor, b = f.mentee
        let s1 = UUID(), s2 = UUID(), s3 = UUID(), s4 = UUID(), s5 = UUID(), s6 = UUID(), s7 = UUID(), s8 = UUID(), s9 = UUID(), s10 = UUID(), s20 = UUID()
        let k1 = UUID(), k2 = UUID(), k4 = UUID(), k5 = UUID(), k6 = UUID()
        try f.record(f.taskAssigned(k1, due: f.day(8)), at: 1)
        try f.record(f.taskAssigned(k2, due: f.day(12)), at: 1)
        try f.record(f.sessionHeld(s1), at: 2)
        try f.record(f.feedback(rating: 4, session: s1), by: b, at: 2.5)
        try f.record(f.sessionScheduled(s2, for: f.day(9)), at: 4)
        try f.record(f.taskAssigned(k3, due: f.day(20)), at: 5)
        try f.record(f.taskAssigned(k4, assignee: a, due: f.day(25)), at: 5)
        try f.record(f.started(m2, mentee: menteeC), at: 5, on: m2)
        try f.record(f.taskAssigned(k5, assignee: a, due: f.day(18)), at: 6)
        try f.record(TaskCompleted(task: k1), by: b, at: 7)
        try f.record(SessionMissed(session: s2, absent: .mentee), at: 9)
        try f.record(f.sessionHeld(s3), at: 10)
        try f.record(f.feedback(from: a, to: b, rating: 5, session: s3), by: a, at: 10.5)
        try f.record(f.feedback(rating: 3), by: b, at: 11)
        try f.record(f.sessionScheduled(s4, for: f.day(16)), at: 11)
        try f.record(f.sessionScheduled(s5, for: f.day(20)), at: 12)
        try f.record(SessionCancelled(session: s5, cancelledBy: a, reason: "travel"), at: 13)
        try f.record(f.sessionScheduled(s6, for: f.day(21)), at: 14)
        try f.record(TaskCompleted(task: k2), by: b, at: 14)
        try f.record(SessionCancelled(session: s4, cancelledBy: b, reason: "sick"), by: b, at: 15.5)
        try f.record(f.sessionHeld(s7, attendees: [a]), at: 17)
        try f.record(TaskCancelled(task: k5, reason: "obsolete"), at: 19)
        try f.record(f.taskAssigned(k6, due: f.day(40)), at: 20)
        try f.record(f.sessionScheduled(s20, for: f.day(28)), at: 20, on: m2)
        try f.record(SessionCancelled(session: s6, cancelledBy: a, reason: "deadline"), at: 20.5)
        try f.record(f.taskAssigned(k7, assignee: a, due: f.day(28)), at: 21)
        try f.record(f.sessionScheduled(s8, for: f.day(24)), at: 22)
        try f.record(f.sessionHeld(s10), at: 23)
        try f.record(SessionMissed(session: s8, absent: .both), at: 24)
        try f.record(f.sessionScheduled(s9, for: f.day(27)), at: 25)
        try f.record(TaskCompleted(task: k4), by: a, at: 25)
        try f.record(SessionMissed(session: s9, absent: .mentee), at: 27)
        try f.record(SessionMissed(session: s20, absent: .mentor), at: 28, on: m2)
    }

    func report(asOf day: Double) throws -> CommitmentReport {
        try f.ledger.replay(CommitmentProjection()).state.report(asOf: f.day(day))
    }
}

@Suite("Commitment read model")
struct CommitmentReadModelTests {
    @Test("the mentorship as of day 30, worked by hand")
    func mentorshipAsOfDay30() throws {
        let s = try CommitmentScenario()
        let report = try s.report(asOf: 30)
        let m = try #require(report.mentorships[s.f.mentorship])
        #expect(m.mentor == s.a && m.mentee == s.b && m.program == s.f.program && !m.ended)
        // Held S1, S3, S7, S10; no-shows S2, S8 (both, once), S9; short notice S4, S6 (S5 had 7 days).
        #expect(m.attendance.held == 4)
        #expect(m.attendance.noShows == 3)
        #expect(m.attendance.shortNoticeCancellations == 2)
        #expect(m.attendance.reliability == 4.0 / 9.0)   // 4 / (4 + 3 + 2)
        #expect(m.attendance.noShowStreak == 2)          // … S10 held d23, S8 missed d24, S9 missed d27
        // Tasks due by d30 (K5 cancelled, K6 due d40): K1, K2, K3, K4, K7; on time K1, K4.
        #expect(m.tasks.due == 5)
        #expect(m.tasks.completedOnTime == 2)
        #expect(m.tasks.onTimeRate == 0.4)               // 2 / 5
        #expect(m.tasks.openOverdue.map(\.task) == [s.k3, s.k7].sorted { $0.uuidString < $1.uuidString })
        let k3 = try #require(m.tasks.openOverdue.first { $0.task == s.k3 })
        #expect(k3.ageSeconds == 864_000)                // d30 − d20 = 10 days
        #expect(k3.assignee == s.b && k3.due == s.f.day(20) && k3.mentorship == s.f.mentorship)
        #expect(m.tasks.openOverdue.first { $0.task == s.k7 }?.ageSeconds == 172_800) // d30 − d28
        // Feedback: A→B 1 (F2), B→A 2 (F1, F3). Last 3 held: S3, S7, S10. A gave about S3; B only about S1.
        #expect(m.mentorToMentee == 1)
        #expect(m.menteeToMentor == 2)
        #expect(m.heldSessions == 4)
        #expect(m.mentorGaveRecently)
        #expect(!m.menteeGaveRecently)
        #expect(m.reciprocity == 0.5)                    // 1 side of 2
        #expect(m.score == 40 * (4.0 / 9.0) + 40 * 0.4 + 20 * 0.5)
    }

    @Test("each side of the mentorship as of day 30, worked by hand")
    func sidesAsOfDay30() throws {
        let s = try CommitmentScenario()
        let m = try #require(try s.report(asOf: 30).mentorships[s.f.mentorship])
        let mentor = m.mentorSide
        #expect(mentor.person == s.a && mentor.mentorship == s.f.mentorship)
        #expect(mentor.attendance.held == 4)             // S1, S3, S7 (alone), S10
        #expect(mentor.attendance.noShows == 1)          // S8 (both)
        #expect(mentor.attendance.shortNoticeCancellations == 1) // S6
        #expect(mentor.attendance.reliability == 4.0 / 6.0)
        #expect(mentor.attendance.noShowStreak == 1)     // S10 held, S8 missed; S9 was the mentee's
        #expect(mentor.tasks.due == 2 && mentor.tasks.completedOnTime == 1) // K4 on time, K7 open
        #expect(mentor.tasks.onTimeRate == 0.5)
        #expect(mentor.tasks.openOverdue.map(\.task) == [s.k7])
        #expect(mentor.feedbackGiven == 1 && mentor.feedbackReceived == 2)
        #expect(mentor.mentorshipsWithHeldSessions == 1 && mentor.recentFeedbackGiven == 1)
        #expect(mentor.feedbackShare == 1)
        #expect(mentor.score == 40 * (4.0 / 6.0) + 40 * 0.5 + 20 * 1.0)

        let mentee = m.menteeSide
        #expect(mentee.person == s.b)
        #expect(mentee.attendance.held == 3)             // S1, S3, S10 (not S7)
        #expect(mentee.attendance.noShows == 3)          // S2, S8, S9
        #expect(mentee.attendance.shortNoticeCancellations == 1) // S4
        #expect(mentee.attendance.reliability == 3.0 / 7.0)
        #expect(mentee.attendance.noShowStreak == 2)     // S10 held, S8, S9 missed (S7 skipped: not attended)
        #expect(mentee.tasks.due == 3 && mentee.tasks.completedOnTime == 1) // K1 on time, K2 late, K3 open
        #expect(mentee.tasks.onTimeRate == 1.0 / 3.0)
        #expect(mentee.tasks.openOverdue.map(\.task) == [s.k3])
        #expect(mentee.feedbackGiven == 2 && mentee.feedbackReceived == 1)
        #expect(mentee.recentFeedbackGiven == 0)
        #expect(mentee.feedbackShare == 0)
        #expect(mentee.score == 40 * (3.0 / 7.0) + 40 * (1.0 / 3.0) + 20 * 0.0)
    }

    @Test("people across mentorships, and a mentorship with no evidence, as of day 30")
    func participantsAsOfDay30() throws {
        let s = try CommitmentScenario()
        let report = try s.report(asOf: 30)
        #expect(report.participants.count == 3)
        let a = try #require(report.participants[s.a])
        #expect(a.mentorship == nil)
        #expect(a.attendance.held == 4)
        #expect(a.attendance.noShows == 2)               // S8 in M1, S20 in M2
        #expect(a.attendance.shortNoticeCancellations == 1)
        #expect(a.attendance.reliability == 4.0 / 7.0)
        #expect(a.attendance.noShowStreak == 2)          // merged: S10 held d23, S8 missed d24, S20 missed d28
        #expect(a.tasks.onTimeRate == 0.5)
        #expect(a.mentorshipsWithHeldSessions == 1)      // M2 has none
        #expect(a.feedbackShare == 1)
        #expect(a.score == 40 * (4.0 / 7.0) + 40 * 0.5 + 20 * 1.0)
        #expect(report.participants[s.b] == {
            var side = report.mentorships[s.f.mentorship]?.menteeSide
            side?.mentorship = nil
            return side
        }())

        let m2 = try #require(report.mentorships[s.m2])
        #expect(m2.attendance.held == 0 && m2.attendance.noShows == 1 && m2.attendance.noShowStreak == 1)
        #expect(m2.attendance.reliability == 0)          // 0 / (0 + 1 + 0)
        #expect(m2.tasks.onTimeRate == nil)              // no task due
        #expect(m2.reciprocity == nil)                   // no held session
        #expect(m2.score == 40 * 0.0 + 40 * 1.0 + 20 * 1.0) // nil rates count as 1.0
        let c = try #require(report.participants[s.menteeC])
        #expect(c.attendance.reliability == nil)         // the mentor was absent, not C
        #expect(c.feedbackShare == nil)
        #expect(c.score == 100)
    }

    @Test("as of day 21: later facts are ignored and fewer tasks are overdue")
    func asOfDay21() throws {
        let s = try CommitmentScenario()
        let report = try s.report(asOf: 21)
        let m = try #require(report.mentorships[s.f.mentorship])
        #expect(m.attendance.held == 3)                  // S1, S3, S7
        #expect(m.attendance.noShows == 1)               // S2
        #expect(m.attendance.shortNoticeCancellations == 2) // S4 (d15.5), S6 (d20.5)
        #expect(m.attendance.noShowStreak == 0)          // S7 held after S2
        #expect(m.tasks.due == 3)                        // K1, K2, K3 (K4 due d25, K7 due d28)
        #expect(m.tasks.openOverdue.map(\.task) == [s.k3])
        #expect(m.tasks.openOverdue.first?.ageSeconds == 86_400) // d21 − d20
        #expect(m.mentorGaveRecently && m.menteeGaveRecently)   // last 3 held: S1, S3, S7
        #expect(m.reciprocity == 1)
        #expect(report.mentorships[s.m2]?.attendance.noShows == 0)
        #expect(try s.report(asOf: 3).mentorships[s.m2] == nil) // M2 starts at d5
    }

    @Test("digest: same log twice gives the same digest, one more event another")
    func digest() throws {
        let s = try CommitmentScenario()
        let first = try s.report(asOf: 30)
        #expect(try s.report(asOf: 30).digest == first.digest)
        try s.f.record(TaskCompleted(task: s.k3), by: s.b, at: 29)
        let second = try s.report(asOf: 30)
        #expect(second.digest != first.digest)
        #expect(second.mentorships[s.f.mentorship]?.tasks.openOverdue.map(\.task) == [s.k7])
    }

    @Test("state and report survive a JSON round trip")
    func codable() throws {
        let s = try CommitmentScenario()
        let state = try s.f.ledger.replay(CommitmentProjection()).state
        let decoded = try ReadModelTestSupport.roundTrip(state)
        #expect(decoded == state)
        #expect(decoded.report(asOf: s.f.day(30)) == state.report(asOf: s.f.day(30)))
        let report = state.report(asOf: s.f.day(30))
        #expect(try ReadModelTestSupport.roundTrip(report) == report)
    }

    @Test("a simulated program gives plausible values")
    func simulated() throws {
        let directory = try TemporaryDirectory()
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory)
        let state = try ledger.replay(CommitmentProjection()).state
        let report = state.report(asOf: config.start.adding(seconds: Double(config.days) * 86_400))
        #expect(report.mentorships.count == config.mentorships)
        #expect(report.participants.count >= config.mentorships)
        func check(_ p: ParticipantCommitment) {
            #expect((0...100).contains(p.score))
            for rate in [p.attendance.reliability, p.tasks.onTimeRate, p.feedbackShare] {
                if let rate { #expect((0...1).contains(rate)) }
            }
            #expect(p.tasks.openOverdue.allSatisfy { $0.ageSeconds > 0 })
        }
        for m in report.mentorships.values {
            #expect((0...100).contains(m.score))
            for rate in [m.attendance.reliability, m.tasks.onTimeRate, m.reciprocity] {
                if let rate { #expect((0...1).contains(rate)) }
            }
            check(m.mentorSide)
            check(m.menteeSide)
        }
        report.participants.values.forEach(check)
        #expect(state.report(asOf: report.asOf).digest == report.digest)
    }
}
