import Accountability
import EventLedger
import Foundation

/// The scripted log shared by the engagement and program-health tests: three mentorships on a
/// real ledger, recorded through ``AccountabilityLedger`` in occurred-at order (days after
/// 2026-01-01).
///
/// M1 (fixture's pair, program P, cadence 7, start day 0):
///   d2 held S1 60 min (both) · d3 feedback S1 mentee→mentor 5 · d9 held S2 45 min (both) ·
///   d9 feedback S2 mentor→mentee 4 · d9.5 feedback S2 mentee→mentor 3 · d10 schedule S3 for d16 ·
///   d16 S3 missed (mentee) · d21 paused · d35 resumed · d37 held S4 30 min (both) ·
///   d38 feedback S4 mentee→mentor 4 · d40 schedule S5 for d45 · d44.5 S5 cancelled by the mentee
///   (12 h notice) · d50 held S6 90 min (both) · d51 schedule S7 for d58 · d52 S7 cancelled by
///   the mentor (6 days notice)
/// M2 (same mentor, mentee2, program P, cadence 14, start day 20):
///   d22 held T1 30 min (both) · d30 held T2 60 min (mentee2 only) · d40 ended by the mentor (early)
/// M3 (mentor3, mentee3, other program, cadence 7, start day 50):
///   d55 feedback mentee3→mentor3 rating 2, about no session
final class EngagementHealthScenario: Sendable {
    let fixture: MentorshipFixture
    var m1: UUID { fixture.mentorship }
    let m2 = UUID()
    let m3 = UUID()
    let mentee2 = UUID()
    let mentor3 = UUID()
    let mentee3 = UUID()
    /// The position of the last event dated at or before day 30.
    let lastPositionByDay30: UInt64

    init() throws {
        let f = try MentorshipFixture()
        fixture = f
        let m1 = f.mentorship, m2 = self.m2, m3 = self.m3
        let s1 = UUID(), s2 = UUID(), s3 = UUID(), s4 = UUID(), s5 = UUID(), s6 = UUID(), s7 = UUID()
        try f.record(f.sessionHeld(s1, minutes: 60), at: 2)
        try f.record(f.feedback(rating: 5, session: s1), by: f.mentee, at: 3)
        try f.record(f.sessionHeld(s2, minutes: 45), at: 9)
        try f.record(f.feedback(from: f.mentor, to: f.mentee, rating: 4, session: s2), by: f.mentor, at: 9)
        try f.record(f.feedback(rating: 3, session: s2), by: f.mentee, at: 9.5)
        try f.record(f.sessionScheduled(s3, for: f.day(16)), at: 10)
        try f.record(SessionMissed(session: s3, absent: .mentee), at: 16)
        try f.record(f.started(m2, mentee: mentee2, cadenceDays: 14), at: 20, on: m2)
        try f.record(MentorshipPaused(reason: "holiday", until: f.day(35)), at: 21, on: m1)
        try f.record(f.sessionHeld(minutes: 30, attendees: [f.mentor, mentee2]), at: 22, on: m2)
        let day30 = try f.record(f.sessionHeld(minutes: 60, attendees: [mentee2]), by: mentee2, at: 30, on: m2)
        lastPositionByDay30 = day30.positions.upperBound - 1
        try f.record(MentorshipResumed(), at: 35, on: m1)
        try f.record(f.sessionHeld(s4, minutes: 30), at: 37)
        try f.record(f.feedback(rating: 4, session: s4), by: f.mentee, at: 38)
        try f.record(f.sessionScheduled(s5, for: f.day(45)), at: 40)
        try f.record(MentorshipEnded(endedBy: .mentor, reason: .early), at: 40, on: m2)
        try f.record(SessionCancelled(session: s5, cancelledBy: f.mentee, reason: "sick"), by: f.mentee, at: 44.5)
        try f.record(f.sessionHeld(s6, minutes: 90), at: 50)
        try f.record(f.started(m3, mentor: mentor3, mentee: mentee3, program: f.otherProgram, cadenceDays: 7),
                     by: mentor3, at: 50, on: m3)
        try f.record(f.sessionScheduled(s7, for: f.day(58)), at: 51)
        try f.record(SessionCancelled(session: s7, cancelledBy: f.mentor, reason: "conference"), at: 52)
        try f.record(f.feedback(from: mentee3, to: mentor3, rating: 2), by: mentee3, at: 55, on: m3)
    }

    func day(_ days: Double) -> Timestamp { fixture.day(days) }
}
