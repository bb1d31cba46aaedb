import Accountability
import EventLedger
import Foundation
import Testing

/// Nothing is dated before what it refers to, and the checks run in an order that tells someone
/// who may not record an event nothing about the mentorship.
@Suite("Mentorship rules: time order and check order")
struct MentorshipRuleOrderTests {
    @Test("a task cannot be completed or cancelled before it was assigned")
    func taskBeforeAssigned() throws {
        let fx = try MentorshipFixture()
        let task = try fx.assignTask(at: 5, due: 12)
        try fx.expectRejected(fx.command(TaskCompleted(task: task), by: fx.mentee, at: 4), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(TaskCancelled(task: task, reason: "moot"), at: 4.5), rule: .invalidTime, field: "occurredAt")
        try fx.expectAccepted(fx.command(TaskCompleted(task: task), by: fx.mentee, at: 5))
    }

    @Test("progress, revision, achievement, abandonment and linked tasks cannot predate the goal")
    func goalBeforeSet() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal(at: 5, deadline: 60)
        try fx.expectRejected(fx.command(GoalProgressRecorded(goal: goal, value: 1), by: fx.mentee, at: 4), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "later", deadline: fx.day(70)), by: fx.mentee, at: 4), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(GoalAchieved(goal: goal), at: 2), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(GoalAbandoned(goal: goal, reason: "no"), by: fx.mentee, at: 2), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(fx.taskAssigned(due: fx.day(20), goal: goal), at: 3), rule: .invalidTime, field: "occurredAt")
    }

    @Test("a scheduled session cannot be held, missed or cancelled before it was scheduled")
    func sessionBeforeScheduled() throws {
        let fx = try MentorshipFixture()
        let session = try fx.scheduleSession(at: 6, for: 8)
        try fx.expectRejected(fx.command(fx.sessionHeld(session), at: 3), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(SessionCancelled(session: session, cancelledBy: fx.mentee, reason: "ill"), by: fx.mentee, at: 5),
                              rule: .invalidTime, field: "occurredAt")
        try fx.expectAccepted(fx.command(fx.sessionHeld(session), at: 8))
    }

    @Test("a session is cancelled before it is due; after that it is a no-show")
    func cancelAfterDue() throws {
        let fx = try MentorshipFixture()
        let session = try fx.scheduleSession(at: 1, for: 3)
        try fx.expectRejected(fx.command(SessionCancelled(session: session, cancelledBy: fx.mentee, reason: "late"), by: fx.mentee, at: 3),
                              rule: .invalidTime, field: "occurredAt")
        try fx.expectAccepted(fx.command(SessionMissed(session: session, absent: .mentee), at: 3))
    }

    @Test("feedback about a session cannot predate the session")
    func feedbackBeforeHeld() throws {
        let fx = try MentorshipFixture()
        let session = try fx.holdSession(at: 4)
        try fx.expectRejected(fx.command(fx.feedback(from: fx.mentee, to: fx.mentor, session: session), by: fx.mentee, at: 3),
                              rule: .invalidTime, field: "occurredAt")
        try fx.expectAccepted(fx.command(fx.feedback(from: fx.mentee, to: fx.mentor, session: session), by: fx.mentee, at: 4))
    }

    @Test("a revision cannot move the target to the other side of the baseline")
    func revisionReversesDirection() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal(at: 1)
        let baseline = try #require(fx.state().goals[goal]).baseline
        let target = try #require(fx.state().goals[goal]).target
        let reversed = baseline - (target - baseline)
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "flip", target: reversed), by: fx.mentee, at: 2),
                              rule: .goalNotMeasurable, field: "target")
        let easier = baseline + (target - baseline) / 2
        try fx.expectAccepted(fx.command(GoalRevised(goal: goal, reason: "halve", target: easier), by: fx.mentee, at: 2))
    }

    @Test("an outsider learns nothing: invalid fields and an ended mentorship still answer 'not a party'")
    func authorisationFirst() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.feedback(from: fx.outsider, to: fx.mentor, rating: 9), by: fx.outsider, at: 2),
                              rule: .notAuthorized, field: "actor")
        try fx.expectAccepted(fx.command(MentorshipEnded(endedBy: .mentor, reason: .early), at: 3))
        try fx.expectRejected(fx.command(fx.sessionHeld(minutes: 0), by: fx.outsider, at: 4), rule: .notAuthorized, field: "actor")
        try fx.expectRejected(fx.command(fx.sessionHeld(), by: fx.mentor, at: 4), rule: .mentorshipEnded, field: "event")
    }

    @Test("a start recorded by someone it does not name, who is no admin, is refused before its fields are read")
    func startAuthorisationFirst() throws {
        let fx = try MentorshipFixture(started: false)
        try fx.expectRejected(fx.command(fx.started(cadenceDays: 0), by: fx.outsider, at: 0), rule: .notAuthorized, field: "actor")
    }

    @Test("a resume cannot predate the pause it ends")
    func resumeBeforePause() throws {
        let fx = try MentorshipFixture()
        try fx.expectAccepted(fx.command(MentorshipPaused(reason: "holiday"), at: 10))
        try fx.expectRejected(fx.command(MentorshipResumed(), at: 9), rule: .invalidTime, field: "occurredAt")
        try fx.expectAccepted(fx.command(MentorshipResumed(), at: 10))
    }

    @Test("an end cannot be dated before the mentorship's latest event")
    func endBeforeLatest() throws {
        let fx = try MentorshipFixture()
        try fx.holdSession(at: 8)
        try fx.expectRejected(fx.command(MentorshipEnded(endedBy: .mentor, reason: .early), at: 7), rule: .invalidTime, field: "occurredAt")
        try fx.expectAccepted(fx.command(MentorshipEnded(endedBy: .mentor, reason: .early), at: 8))
    }
}
