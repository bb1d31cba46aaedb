import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// Every rule of ``MentorshipRules`` and every event's `validate()`, through
/// ``AccountabilityLedger/record(_:)`` on a real ledger. Each rejection asserts the exact rule,
/// the exact field, the mentorship named, and that nothing was written.
@Suite("Mentorship rules")
struct MentorshipRulesTests {
    typealias Party = MentorshipFixture.Party

    static let tooLongTitle = String(repeating: "t", count: 201)
    /// 4,001 bytes.
    static let tooLongText = String(repeating: "r", count: 4_001)
    /// 2,001 characters but 4,002 UTF-8 bytes.
    static let tooManyBytes = String(repeating: "é", count: 2_001)

    // MARK: - GoalSet: SMART

    @Test("GoalSet: an empty or blank title is not specific", arguments: ["", " ", "  \t\n "])
    func goalSetBlankTitle(title: String) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.goalSet(title: title), by: fx.mentee, at: 1), rule: .goalNotSpecific, field: "title")
    }

    @Test("GoalSet: a title of 201 characters is too long; 200 characters (even 2-byte ones) are fine")
    func goalSetTitleLength() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.goalSet(title: Self.tooLongTitle), by: fx.mentee, at: 1), rule: .invalidText, field: "title")
        try fx.expectAccepted(fx.command(fx.goalSet(title: String(repeating: "t", count: 200)), by: fx.mentee, at: 1))
        try fx.expectAccepted(fx.command(fx.goalSet(title: String(repeating: "é", count: 200)), by: fx.mentee, at: 1))
    }

    @Test("GoalSet: an empty metric name or unit is not measurable")
    func goalSetEmptyMetricTexts() throws {
        let fx = try MentorshipFixture()
        let noName = GoalMetric(name: "", unit: "PRs", baseline: 0, target: 10)
        try fx.expectRejected(fx.command(fx.goalSet(metric: noName), by: fx.mentee, at: 1), rule: .goalNotMeasurable, field: "metric.name")
        let blankUnit = GoalMetric(name: "merged pull requests", unit: "  ", baseline: 0, target: 10)
        try fx.expectRejected(fx.command(fx.goalSet(metric: blankUnit), by: fx.mentee, at: 1), rule: .goalNotMeasurable, field: "metric.unit")
        let longName = GoalMetric(name: Self.tooLongTitle, unit: "PRs", baseline: 0, target: 10)
        try fx.expectRejected(fx.command(fx.goalSet(metric: longName), by: fx.mentee, at: 1), rule: .invalidText, field: "metric.name")
    }

    @Test("GoalSet: a baseline that is not finite is not measurable", arguments: [Double.nan, .infinity, -.infinity])
    func goalSetBaselineNotFinite(baseline: Double) throws {
        let fx = try MentorshipFixture()
        let metric = GoalMetric(name: "latency", unit: "ms", baseline: baseline, target: 10)
        try fx.expectRejected(fx.command(fx.goalSet(metric: metric), by: fx.mentee, at: 1), rule: .goalNotMeasurable, field: "metric.baseline")
    }

    @Test("GoalSet: a target that is not finite is not measurable", arguments: [Double.nan, .infinity, -.infinity])
    func goalSetTargetNotFinite(target: Double) throws {
        let fx = try MentorshipFixture()
        let metric = GoalMetric(name: "latency", unit: "ms", baseline: 10, target: target)
        try fx.expectRejected(fx.command(fx.goalSet(metric: metric), by: fx.mentee, at: 1), rule: .goalNotMeasurable, field: "metric.target")
    }

    @Test("GoalSet: a target equal to the baseline is not measurable", arguments: [(5.0, 5.0), (0.0, -0.0), (-3.5, -3.5)])
    func goalSetTargetEqualsBaseline(baseline: Double, target: Double) throws {
        let fx = try MentorshipFixture()
        let metric = GoalMetric(name: "latency", unit: "ms", baseline: baseline, target: target)
        try fx.expectRejected(fx.command(fx.goalSet(metric: metric), by: fx.mentee, at: 1), rule: .goalNotMeasurable, field: "metric.target")
    }

    @Test("GoalSet: a decreasing target is measurable")
    func goalSetDecreasingTarget() throws {
        let fx = try MentorshipFixture()
        let metric = GoalMetric(name: "p99 latency", unit: "ms", baseline: 800, target: 200)
        try fx.expectAccepted(fx.command(fx.goalSet(metric: metric), by: fx.mentee, at: 1))
    }

    @Test("GoalSet: without the mentor's agreement the goal is not achievable")
    func goalSetNotAgreed() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.goalSet(mentorAgreed: false), by: fx.mentee, at: 1), rule: .goalNotAchievable, field: "mentorAgreed")
    }

    @Test("GoalSet: an empty rationale is not relevant", arguments: ["", "   ", "\n"])
    func goalSetNoRationale(rationale: String) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.goalSet(rationale: rationale), by: fx.mentee, at: 1), rule: .goalNotRelevant, field: "rationale")
    }

    @Test("GoalSet: a rationale over 4,000 bytes is invalid text; 4,000 bytes are fine")
    func goalSetRationaleLength() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.goalSet(rationale: Self.tooLongText), by: fx.mentee, at: 1), rule: .invalidText, field: "rationale")
        try fx.expectRejected(fx.command(fx.goalSet(rationale: Self.tooManyBytes), by: fx.mentee, at: 1), rule: .invalidText, field: "rationale")
        try fx.expectAccepted(fx.command(fx.goalSet(rationale: String(repeating: "r", count: 4_000)), by: fx.mentee, at: 1))
    }

    @Test("GoalSet: a deadline at or before the time the goal is set is not time-bound", arguments: [10.0, 9.5, 0.0])
    func goalSetDeadlineNotAfter(deadline: Double) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.goalSet(deadline: fx.day(deadline)), by: fx.mentee, at: 10), rule: .goalNotTimeBound, field: "deadline")
        // One microsecond later is enough.
        let justAfter = Timestamp(microsecondsSinceEpoch: fx.day(10).microsecondsSinceEpoch + 1)
        try fx.expectAccepted(fx.command(fx.goalSet(deadline: justAfter), by: fx.mentee, at: 10))
    }

    @Test("GoalSet: a goal id already set in the mentorship is a duplicate, even once the goal is closed")
    func goalSetDuplicateID() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        try fx.expectRejected(fx.command(fx.goalSet(goal), by: fx.mentee, at: 2), rule: .duplicateID, field: "goal")
        try fx.record(GoalAchieved(goal: goal), at: 3)
        try fx.expectRejected(fx.command(fx.goalSet(goal), by: fx.mentee, at: 4), rule: .duplicateID, field: "goal")
    }

    @Test("GoalSet: the owner must be the mentor or the mentee", arguments: [Party.outsider, .admin, .system])
    func goalSetOwnerNotParticipant(owner: Party) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.goalSet(owner: fx.id(of: owner)), by: fx.mentee, at: 1), rule: .notAParticipant, field: "owner")
    }

    @Test("GoalSet: a goal owned by the mentor is fine")
    func goalSetOwnedByMentor() throws {
        let fx = try MentorshipFixture()
        try fx.expectAccepted(fx.command(fx.goalSet(owner: fx.mentor), by: fx.mentor, at: 1))
    }

    // MARK: - GoalRevised

    @Test("GoalRevised: an unknown goal")
    func goalRevisedUnknown() throws {
        let fx = try MentorshipFixture()
        try fx.setGoal()
        try fx.expectRejected(fx.command(GoalRevised(goal: UUID(), reason: "scope", target: 12), at: 2), rule: .unknownGoal, field: "goal")
    }

    @Test("GoalRevised: an achieved or abandoned goal is closed")
    func goalRevisedClosed() throws {
        let fx = try MentorshipFixture()
        let achieved = try fx.setGoal()
        let abandoned = try fx.setGoal()
        try fx.record(GoalAchieved(goal: achieved, finalValue: 10), at: 2)
        try fx.record(GoalAbandoned(goal: abandoned, reason: "team changed"), at: 2)
        try fx.expectRejected(fx.command(GoalRevised(goal: achieved, reason: "more", target: 12), at: 3), rule: .goalClosed, field: "goal")
        try fx.expectRejected(fx.command(GoalRevised(goal: abandoned, reason: "retry", deadline: fx.day(90)), at: 3), rule: .goalClosed, field: "goal")
    }

    @Test("GoalRevised: a new target equal to the baseline is not measurable")
    func goalRevisedTargetIsBaseline() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "scope", target: MentorshipFixture.metric.baseline), at: 2),
                              rule: .goalNotMeasurable, field: "target")
    }

    @Test("GoalRevised: a new target that is not finite is not measurable", arguments: [Double.nan, .infinity, -.infinity])
    func goalRevisedTargetNotFinite(target: Double) throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "scope", target: target), at: 2), rule: .goalNotMeasurable, field: "target")
    }

    @Test("GoalRevised: a new deadline at or before the revision is not time-bound", arguments: [20.0, 19.0, 5.0])
    func goalRevisedDeadlinePast(deadline: Double) throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "late", deadline: fx.day(deadline)), at: 20), rule: .goalNotTimeBound, field: "deadline")
    }

    @Test("GoalRevised: repeating the current target and/or deadline changes nothing")
    func goalRevisedChangesNothing() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal(deadline: 60)
        let target = MentorshipFixture.metric.target
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "same", target: target), at: 2), rule: .revisionChangesNothing, field: "target")
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "same", deadline: fx.day(60)), at: 2), rule: .revisionChangesNothing, field: "deadline")
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "same", target: target, deadline: fx.day(60)), at: 2),
                              rule: .revisionChangesNothing, field: "target")
        // After a revision, the revised values are the current ones.
        try fx.expectAccepted(fx.command(GoalRevised(goal: goal, reason: "stretch", target: 12), at: 3))
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "again", target: 12), at: 4), rule: .revisionChangesNothing, field: "target")
        try fx.expectAccepted(fx.command(GoalRevised(goal: goal, reason: "back", target: target), at: 5))
    }

    @Test("GoalRevised: neither a target nor a deadline changes nothing")
    func goalRevisedNeither() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: "nothing"), at: 2), rule: .revisionChangesNothing, field: "target")
    }

    @Test("GoalRevised: the reason is required and bounded")
    func goalRevisedReason() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: " ", target: 12), at: 2), rule: .invalidText, field: "reason")
        try fx.expectRejected(fx.command(GoalRevised(goal: goal, reason: Self.tooLongText, target: 12), at: 2), rule: .invalidText, field: "reason")
    }

    @Test("GoalRevised: a new target and a later deadline are applied to the state")
    func goalRevisedApplied() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal(deadline: 60)
        try fx.expectAccepted(fx.command(GoalRevised(goal: goal, reason: "stretch", target: 15, deadline: fx.day(90)), at: 2))
        let state = try #require(try fx.state().goals[goal])
        #expect(state.target == 15)
        #expect(state.deadline == fx.day(90))
        #expect(state.baseline == MentorshipFixture.metric.baseline)
    }

    // MARK: - GoalProgressRecorded, GoalAchieved, GoalAbandoned

    @Test("GoalProgressRecorded: an unknown goal, a closed goal, a value that is not finite, a note too long")
    func goalProgressRules() throws {
        let fx = try MentorshipFixture()
        let achieved = try fx.setGoal()
        let abandoned = try fx.setGoal()
        let active = try fx.setGoal()
        try fx.record(GoalAchieved(goal: achieved), at: 2)
        try fx.record(GoalAbandoned(goal: abandoned, reason: "dropped"), at: 2)
        try fx.expectRejected(fx.command(GoalProgressRecorded(goal: UUID(), value: 3), at: 3), rule: .unknownGoal, field: "goal")
        try fx.expectRejected(fx.command(GoalProgressRecorded(goal: achieved, value: 3), at: 3), rule: .goalClosed, field: "goal")
        try fx.expectRejected(fx.command(GoalProgressRecorded(goal: abandoned, value: 3), at: 3), rule: .goalClosed, field: "goal")
        for value in [Double.nan, .infinity, -.infinity] {
            try fx.expectRejected(fx.command(GoalProgressRecorded(goal: active, value: value), at: 3), rule: .invalidNumber, field: "value")
        }
        try fx.expectRejected(fx.command(GoalProgressRecorded(goal: active, value: 3, note: Self.tooLongText), at: 3), rule: .invalidText, field: "note")
        try fx.expectAccepted(fx.command(GoalProgressRecorded(goal: active, value: 3, note: ""), at: 3))
        #expect(try fx.state().goals[active]?.latestValue == 3)
    }

    @Test("GoalAchieved: an unknown goal, a goal achieved twice, an abandoned goal, a final value that is not finite")
    func goalAchievedRules() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        let abandoned = try fx.setGoal()
        try fx.record(GoalAbandoned(goal: abandoned, reason: "dropped"), at: 2)
        try fx.expectRejected(fx.command(GoalAchieved(goal: UUID()), at: 3), rule: .unknownGoal, field: "goal")
        try fx.expectRejected(fx.command(GoalAchieved(goal: abandoned), at: 3), rule: .goalClosed, field: "goal")
        try fx.expectRejected(fx.command(GoalAchieved(goal: goal, finalValue: .infinity), at: 3), rule: .invalidNumber, field: "finalValue")
        try fx.expectRejected(fx.command(GoalAchieved(goal: goal, finalValue: .nan), at: 3), rule: .invalidNumber, field: "finalValue")
        try fx.expectAccepted(fx.command(GoalAchieved(goal: goal, finalValue: 11), at: 3))
        try fx.expectRejected(fx.command(GoalAchieved(goal: goal), at: 4), rule: .goalClosed, field: "goal")
    }

    @Test("GoalAbandoned: an unknown goal, a closed goal, an empty or too long reason")
    func goalAbandonedRules() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        let achieved = try fx.setGoal()
        try fx.record(GoalAchieved(goal: achieved), at: 2)
        try fx.expectRejected(fx.command(GoalAbandoned(goal: UUID(), reason: "dropped"), at: 3), rule: .unknownGoal, field: "goal")
        try fx.expectRejected(fx.command(GoalAbandoned(goal: achieved, reason: "dropped"), at: 3), rule: .goalClosed, field: "goal")
        try fx.expectRejected(fx.command(GoalAbandoned(goal: goal, reason: ""), at: 3), rule: .invalidText, field: "reason")
        try fx.expectRejected(fx.command(GoalAbandoned(goal: goal, reason: Self.tooLongText), at: 3), rule: .invalidText, field: "reason")
        try fx.expectAccepted(fx.command(GoalAbandoned(goal: goal, reason: "dropped"), at: 3))
        try fx.expectRejected(fx.command(GoalAbandoned(goal: goal, reason: "again"), at: 4), rule: .goalClosed, field: "goal")
    }

    // MARK: - Tasks

    @Test("TaskCompleted: completed twice")
    func taskCompletedTwice() throws {
        let fx = try MentorshipFixture()
        let task = try fx.assignTask()
        try fx.expectAccepted(fx.command(TaskCompleted(task: task, evidence: "https://example.com/pr/1"), by: fx.mentee, at: 2))
        try fx.expectRejected(fx.command(TaskCompleted(task: task), by: fx.mentee, at: 3), rule: .taskClosed, field: "task")
    }

    @Test("TaskCompleted / TaskCancelled: a task never assigned (here or only in another mentorship)")
    func taskNeverAssigned() throws {
        let fx = try MentorshipFixture()
        let other = UUID()
        try fx.startMentorship(other)
        let elsewhere = try fx.assignTask(on: other)
        try fx.expectRejected(fx.command(TaskCompleted(task: UUID()), by: fx.mentee, at: 2), rule: .unknownTask, field: "task")
        try fx.expectRejected(fx.command(TaskCompleted(task: elsewhere), by: fx.mentee, at: 2), rule: .unknownTask, field: "task")
        try fx.expectRejected(fx.command(TaskCancelled(task: UUID(), reason: "n/a"), at: 2), rule: .unknownTask, field: "task")
    }

    @Test("TaskCompleted after TaskCancelled, and TaskCancelled after either, are closed")
    func taskClosedTransitions() throws {
        let fx = try MentorshipFixture()
        let cancelled = try fx.assignTask()
        let completed = try fx.assignTask()
        try fx.expectAccepted(fx.command(TaskCancelled(task: cancelled, reason: "no longer needed"), at: 2))
        try fx.expectAccepted(fx.command(TaskCompleted(task: completed), by: fx.mentee, at: 2))
        try fx.expectRejected(fx.command(TaskCompleted(task: cancelled), by: fx.mentee, at: 3), rule: .taskClosed, field: "task")
        try fx.expectRejected(fx.command(TaskCancelled(task: cancelled, reason: "again"), at: 3), rule: .taskClosed, field: "task")
        try fx.expectRejected(fx.command(TaskCancelled(task: completed, reason: "too late"), at: 3), rule: .taskClosed, field: "task")
    }

    @Test("TaskAssigned: due at or before the time it is assigned", arguments: [5.0, 4.0, 0.0])
    func taskDueBeforeAssigned(due: Double) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.taskAssigned(due: fx.day(due)), at: 5), rule: .taskDueInPast, field: "due")
    }

    @Test("TaskAssigned: the assignee must be the mentor or the mentee", arguments: [Party.outsider, .admin, .otherProgramAdmin])
    func taskAssigneeNotParticipant(assignee: Party) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.taskAssigned(assignee: fx.id(of: assignee)), at: 1), rule: .notAParticipant, field: "assignee")
        try fx.expectAccepted(fx.command(fx.taskAssigned(assignee: fx.mentor), at: 1))
    }

    @Test("TaskAssigned: for an unknown, achieved or abandoned goal")
    func taskForClosedGoal() throws {
        let fx = try MentorshipFixture()
        let achieved = try fx.setGoal()
        let abandoned = try fx.setGoal()
        let active = try fx.setGoal()
        try fx.record(GoalAchieved(goal: achieved), at: 2)
        try fx.record(GoalAbandoned(goal: abandoned, reason: "dropped"), at: 2)
        try fx.expectRejected(fx.command(fx.taskAssigned(goal: UUID()), at: 3), rule: .unknownGoal, field: "goal")
        try fx.expectRejected(fx.command(fx.taskAssigned(goal: achieved), at: 3), rule: .goalClosed, field: "goal")
        try fx.expectRejected(fx.command(fx.taskAssigned(goal: abandoned), at: 3), rule: .goalClosed, field: "goal")
        try fx.expectAccepted(fx.command(fx.taskAssigned(goal: active), at: 3))
    }

    @Test("TaskAssigned: a task id already assigned is a duplicate")
    func taskDuplicateID() throws {
        let fx = try MentorshipFixture()
        let task = try fx.assignTask()
        try fx.expectRejected(fx.command(fx.taskAssigned(task), at: 2), rule: .duplicateID, field: "task")
    }

    @Test("TaskCompleted evidence and TaskCancelled reason are bounded; the reason is required")
    func taskTexts() throws {
        let fx = try MentorshipFixture()
        let task = try fx.assignTask()
        try fx.expectRejected(fx.command(TaskCompleted(task: task, evidence: Self.tooLongText), by: fx.mentee, at: 2), rule: .invalidText, field: "evidence")
        try fx.expectRejected(fx.command(TaskCancelled(task: task, reason: ""), at: 2), rule: .invalidText, field: "reason")
        try fx.expectRejected(fx.command(TaskCancelled(task: task, reason: Self.tooManyBytes), at: 2), rule: .invalidText, field: "reason")
    }

    // MARK: - Sessions

    @Test("SessionScheduled: in the past or right now", arguments: [5.0, 4.0])
    func sessionScheduledInPast(scheduledFor: Double) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.sessionScheduled(for: fx.day(scheduledFor)), at: 5), rule: .invalidTime, field: "scheduledFor")
    }

    @Test("SessionScheduled: planned minutes outside 1...720", arguments: [0, -1, 721])
    func sessionScheduledMinutes(minutes: Int) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.sessionScheduled(plannedMinutes: minutes), at: 1), rule: .invalidDuration, field: "plannedMinutes")
    }

    @Test("SessionScheduled: a session id already used is a duplicate (scheduled or held ad hoc)")
    func sessionScheduledDuplicate() throws {
        let fx = try MentorshipFixture()
        let scheduled = try fx.scheduleSession()
        let adHoc = try fx.holdSession(at: 2)
        try fx.expectRejected(fx.command(fx.sessionScheduled(scheduled, for: fx.day(9)), at: 3), rule: .duplicateID, field: "session")
        try fx.expectRejected(fx.command(fx.sessionScheduled(adHoc, for: fx.day(9)), at: 3), rule: .duplicateID, field: "session")
    }

    @Test("SessionHeld: held twice, on a scheduled or an ad-hoc session")
    func sessionHeldTwice() throws {
        let fx = try MentorshipFixture()
        let scheduled = try fx.scheduleSession()
        try fx.expectAccepted(fx.command(fx.sessionHeld(scheduled), at: 3))
        try fx.expectRejected(fx.command(fx.sessionHeld(scheduled), at: 4), rule: .sessionClosed, field: "session")
        let adHoc = try fx.holdSession(at: 5)
        try fx.expectRejected(fx.command(fx.sessionHeld(adHoc), at: 6), rule: .sessionClosed, field: "session")
    }

    @Test("SessionHeld: after the session was cancelled or missed")
    func sessionHeldAfterClosed() throws {
        let fx = try MentorshipFixture()
        let cancelled = try fx.scheduleSession(for: 3)
        let missed = try fx.scheduleSession(for: 3)
        try fx.record(SessionCancelled(session: cancelled, cancelledBy: fx.mentee, reason: "ill"), at: 2)
        try fx.record(SessionMissed(session: missed, absent: .mentee), at: 4)
        try fx.expectRejected(fx.command(fx.sessionHeld(cancelled), at: 5), rule: .sessionClosed, field: "session")
        try fx.expectRejected(fx.command(fx.sessionHeld(missed), at: 5), rule: .sessionClosed, field: "session")
    }

    @Test("SessionHeld: minutes outside 1...720", arguments: [0, -5, 721, 10_000, Int.max, Int.min])
    func sessionHeldInvalidMinutes(minutes: Int) throws {
        let fx = try MentorshipFixture()
        let session = try fx.scheduleSession()
        try fx.expectRejected(fx.command(fx.sessionHeld(session, minutes: minutes), at: 3), rule: .invalidDuration, field: "minutes")
    }

    @Test("SessionHeld: 1 and 720 minutes are fine", arguments: [1, 720])
    func sessionHeldBoundaryMinutes(minutes: Int) throws {
        let fx = try MentorshipFixture()
        try fx.expectAccepted(fx.command(fx.sessionHeld(minutes: minutes), at: 3))
    }

    @Test("SessionHeld: an attendee who is not a participant", arguments: [Party.outsider, .admin])
    func sessionHeldAttendeeOutsider(attendee: Party) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.sessionHeld(attendees: [fx.mentor, fx.id(of: attendee)]), at: 3), rule: .notAParticipant, field: "attendees")
        try fx.expectRejected(fx.command(fx.sessionHeld(attendees: [fx.id(of: attendee)]), at: 3), rule: .notAParticipant, field: "attendees")
    }

    @Test("SessionHeld: no attendees, or an attendee listed twice")
    func sessionHeldAttendeeList() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.sessionHeld(attendees: []), at: 3), rule: .noAttendees, field: "attendees")
        try fx.expectRejected(fx.command(fx.sessionHeld(attendees: [fx.mentee, fx.mentee]), at: 3), rule: .duplicateID, field: "attendees")
        try fx.expectAccepted(fx.command(fx.sessionHeld(attendees: [fx.mentee]), at: 3))
    }

    @Test("SessionHeld: an unknown goal discussed, or a goal listed twice")
    func sessionHeldGoals() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        try fx.expectRejected(fx.command(fx.sessionHeld(goals: [goal, UUID()]), at: 3), rule: .unknownGoal, field: "goals")
        try fx.expectRejected(fx.command(fx.sessionHeld(goals: [goal, goal]), at: 3), rule: .duplicateID, field: "goals")
        try fx.expectAccepted(fx.command(fx.sessionHeld(goals: [goal]), at: 3))
    }

    @Test("SessionCancelled: an unknown session, a session already held or cancelled")
    func sessionCancelledState() throws {
        let fx = try MentorshipFixture()
        let held = try fx.scheduleSession()
        let cancelled = try fx.scheduleSession()
        let adHoc = try fx.holdSession(at: 2)
        try fx.holdSession(held, at: 3)
        try fx.record(SessionCancelled(session: cancelled, cancelledBy: fx.mentor, reason: "travel"), at: 2)
        try fx.expectRejected(fx.command(SessionCancelled(session: UUID(), cancelledBy: fx.mentor, reason: "x"), at: 4), rule: .unknownSession, field: "session")
        try fx.expectRejected(fx.command(SessionCancelled(session: held, cancelledBy: fx.mentor, reason: "x"), at: 4), rule: .sessionClosed, field: "session")
        try fx.expectRejected(fx.command(SessionCancelled(session: adHoc, cancelledBy: fx.mentor, reason: "x"), at: 4), rule: .sessionClosed, field: "session")
        try fx.expectRejected(fx.command(SessionCancelled(session: cancelled, cancelledBy: fx.mentor, reason: "x"), at: 4), rule: .sessionClosed, field: "session")
    }

    @Test("SessionCancelled: cancelledBy must be a participant; the reason is required", arguments: [Party.outsider, .admin])
    func sessionCancelledBy(cancelledBy: Party) throws {
        let fx = try MentorshipFixture()
        let session = try fx.scheduleSession()
        try fx.expectRejected(fx.command(SessionCancelled(session: session, cancelledBy: fx.id(of: cancelledBy), reason: "x"), by: fx.admin, at: 2),
                              rule: .notAParticipant, field: "cancelledBy")
        try fx.expectRejected(fx.command(SessionCancelled(session: session, cancelledBy: fx.mentee, reason: " "), at: 2), rule: .invalidText, field: "reason")
        try fx.expectAccepted(fx.command(SessionCancelled(session: session, cancelledBy: fx.mentee, reason: "ill"), by: fx.admin, at: 2))
    }

    @Test("SessionMissed: recorded before the session was due; unknown or closed sessions")
    func sessionMissedRules() throws {
        let fx = try MentorshipFixture()
        let session = try fx.scheduleSession(at: 1, for: 5)
        let held = try fx.scheduleSession(at: 1, for: 3)
        try fx.holdSession(held, at: 3)
        try fx.expectRejected(fx.command(SessionMissed(session: session, absent: .mentee), at: 4), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(SessionMissed(session: session, absent: .both), at: 4.99), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(SessionMissed(session: UUID(), absent: .mentor), at: 6), rule: .unknownSession, field: "session")
        try fx.expectRejected(fx.command(SessionMissed(session: held, absent: .mentor), at: 6), rule: .sessionClosed, field: "session")
        // At the time it was due is fine.
        try fx.expectAccepted(fx.command(SessionMissed(session: session, absent: .mentee), at: 5))
        #expect(try fx.state().sessions[session]?.status == .missed)
        try fx.expectRejected(fx.command(SessionMissed(session: session, absent: .mentee), at: 6), rule: .sessionClosed, field: "session")
    }

    // MARK: - Feedback

    @Test("FeedbackGiven: a rating outside 1...5", arguments: [0, 6, -1, 255, 256, Int.max])
    func feedbackRatingOutOfRange(rating: Int) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.feedback(rating: rating), by: fx.mentee, at: 1), rule: .ratingOutOfRange, field: "rating")
    }

    @Test("FeedbackGiven: ratings 1 and 5 are fine", arguments: [1, 5])
    func feedbackRatingBounds(rating: Int) throws {
        let fx = try MentorshipFixture()
        try fx.expectAccepted(fx.command(fx.feedback(rating: rating), by: fx.mentee, at: 1))
    }

    @Test("FeedbackGiven: nobody rates themselves", arguments: [Party.mentor, .mentee])
    func feedbackToSelf(person: Party) throws {
        let fx = try MentorshipFixture()
        let id = fx.id(of: person)
        try fx.expectRejected(fx.command(fx.feedback(from: id, to: id), by: id, at: 1), rule: .selfFeedback, field: "to")
        try fx.expectRejected(fx.command(fx.feedback(from: id, to: id), by: fx.admin, at: 1), rule: .selfFeedback, field: "to")
    }

    @Test("FeedbackGiven: from or to someone who is not a participant")
    func feedbackFromOutsider() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.feedback(from: fx.outsider, to: fx.mentor), by: fx.mentor, at: 1), rule: .notAParticipant, field: "from")
        try fx.expectRejected(fx.command(fx.feedback(from: fx.outsider, to: fx.mentor), by: fx.admin, at: 1), rule: .notAParticipant, field: "from")
        try fx.expectRejected(fx.command(fx.feedback(from: fx.admin, to: fx.mentee), by: fx.admin, at: 1), rule: .notAParticipant, field: "from")
        try fx.expectRejected(fx.command(fx.feedback(from: fx.mentee, to: fx.outsider), by: fx.mentee, at: 1), rule: .notAParticipant, field: "to")
    }

    @Test("FeedbackGiven: recorded by a participant on behalf of the other one")
    func feedbackOnBehalf() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.feedback(from: fx.mentee, to: fx.mentor), by: fx.mentor, at: 1), rule: .feedbackOnBehalf, field: "from")
        try fx.expectRejected(fx.command(fx.feedback(from: fx.mentor, to: fx.mentee), by: fx.mentee, at: 1), rule: .feedbackOnBehalf, field: "from")
    }

    @Test("FeedbackGiven: an admin (program or global) may record it on the giver's behalf", arguments: [Party.admin, .system])
    func feedbackByAdmin(recorder: Party) throws {
        let fx = try MentorshipFixture()
        try fx.expectAccepted(fx.command(fx.feedback(from: fx.mentee, to: fx.mentor), by: fx.id(of: recorder), at: 1))
        try fx.expectAccepted(fx.command(fx.feedback(from: fx.mentor, to: fx.mentee), by: fx.id(of: recorder), at: 1))
    }

    @Test("FeedbackGiven: about an unknown session, or one scheduled, cancelled or missed but not held")
    func feedbackSessionNotHeld() throws {
        let fx = try MentorshipFixture()
        let scheduled = try fx.scheduleSession(for: 3)
        let cancelled = try fx.scheduleSession(for: 3)
        let missed = try fx.scheduleSession(for: 3)
        let held = try fx.scheduleSession(for: 3)
        try fx.record(SessionCancelled(session: cancelled, cancelledBy: fx.mentor, reason: "travel"), at: 2)
        try fx.record(SessionMissed(session: missed, absent: .mentor), at: 3)
        try fx.holdSession(held, at: 3)
        try fx.expectRejected(fx.command(fx.feedback(session: UUID()), by: fx.mentee, at: 4), rule: .unknownSession, field: "session")
        for session in [scheduled, cancelled, missed] {
            try fx.expectRejected(fx.command(fx.feedback(session: session), by: fx.mentee, at: 4), rule: .feedbackSessionNotHeld, field: "session")
        }
        try fx.expectAccepted(fx.command(fx.feedback(session: held), by: fx.mentee, at: 4))
    }

    @Test("FeedbackGiven: a comment over 4,000 bytes")
    func feedbackCommentTooLong() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.feedback(comment: Self.tooLongText), by: fx.mentee, at: 1), rule: .invalidText, field: "comment")
        try fx.expectAccepted(fx.command(fx.feedback(comment: ""), by: fx.mentee, at: 1))
    }

    // MARK: - Lifecycle

    @Test("Nothing may be recorded on an ended mentorship, whatever the type and whoever records it")
    func eventsOnEndedMentorship() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        let task = try fx.assignTask()
        let session = try fx.scheduleSession(for: 20)
        try fx.expectAccepted(fx.command(MentorshipEnded(endedBy: .mentor, reason: .early), at: 5))
        let attempts: [MentorshipCommand] = [
            fx.command(fx.goalSet(), by: fx.mentee, at: 6),
            fx.command(GoalRevised(goal: goal, reason: "x", target: 20), at: 6),
            fx.command(GoalProgressRecorded(goal: goal, value: 3), at: 6),
            fx.command(GoalAchieved(goal: goal), at: 6),
            fx.command(GoalAbandoned(goal: goal, reason: "ended"), at: 6),
            fx.command(fx.sessionScheduled(for: fx.day(9)), at: 6),
            fx.command(fx.sessionHeld(session), at: 6),
            fx.command(SessionCancelled(session: session, cancelledBy: fx.mentor, reason: "ended"), at: 6),
            fx.command(SessionMissed(session: session, absent: .both), at: 21),
            fx.command(fx.taskAssigned(due: fx.day(30)), at: 6),
            fx.command(TaskCompleted(task: task), by: fx.mentee, at: 6),
            fx.command(TaskCancelled(task: task, reason: "ended"), at: 6),
            fx.command(fx.feedback(), by: fx.mentee, at: 6),
            fx.command(MentorshipPaused(reason: "break"), at: 6),
            fx.command(MentorshipResumed(), at: 6),
            fx.command(MentorshipEnded(endedBy: .mentee, reason: .completed), by: fx.mentee, at: 6),
            fx.command(MentorshipEnded(endedBy: .admin, reason: .inactivity), by: fx.admin, at: 6),
            fx.command(NudgeSent(rule: .inactive, subject: fx.mentorship, recipient: fx.mentee), by: fx.system, at: 6),
        ]
        for command in attempts {
            try fx.expectRejected(command, rule: .mentorshipEnded, field: "event")
        }
        try fx.expectRejected(fx.command(fx.started(), at: 6), rule: .mentorshipAlreadyStarted, field: "event")
        #expect(try fx.state().status == .ended(by: .mentor, reason: .early))
    }

    @Test("Nothing but MentorshipStarted may be recorded before the mentorship started")
    func eventsBeforeStart() throws {
        let fx = try MentorshipFixture(started: false)
        let attempts: [MentorshipCommand] = [
            fx.command(fx.goalSet(), by: fx.mentee, at: 1),
            fx.command(GoalAchieved(goal: UUID()), at: 1),
            fx.command(fx.sessionScheduled(), at: 1),
            fx.command(fx.sessionHeld(), at: 1),
            fx.command(fx.taskAssigned(), at: 1),
            fx.command(TaskCompleted(task: UUID()), at: 1),
            fx.command(fx.feedback(), by: fx.mentee, at: 1),
            fx.command(MentorshipPaused(reason: "break"), at: 1),
            fx.command(MentorshipResumed(), at: 1),
            fx.command(MentorshipEnded(endedBy: .mentor, reason: .early), at: 1),
            fx.command(NudgeSent(rule: .firstSessionOverdue, subject: fx.mentorship, recipient: fx.mentor), by: fx.admin, at: 1),
            // Even an outsider learns only that the mentorship has not started.
            fx.command(fx.sessionHeld(), by: fx.outsider, at: 1),
        ]
        for command in attempts {
            try fx.expectRejected(command, rule: .mentorshipNotStarted, field: "event")
        }
        #expect(try fx.revision() == nil)
        #expect(try fx.state().status == .notStarted)
    }

    @Test("MentorshipStarted twice")
    func startedTwice() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(fx.started(), at: 1), rule: .mentorshipAlreadyStarted, field: "event")
        try fx.expectRejected(fx.command(fx.started(cadenceDays: 14), by: fx.admin, at: 1), rule: .mentorshipAlreadyStarted, field: "event")
    }

    @Test("MentorshipStarted naming another mentorship than its stream's")
    func startedMismatch() throws {
        let fx = try MentorshipFixture(started: false)
        try fx.expectRejected(fx.command(fx.started(UUID()), at: 0), rule: .mentorshipMismatch, field: "mentorship")
    }

    @Test("MentorshipStarted with the mentor as the mentee")
    func startedSameParticipant() throws {
        let fx = try MentorshipFixture(started: false)
        try fx.expectRejected(fx.command(fx.started(mentee: fx.mentor), at: 0), rule: .sameParticipant, field: "mentee")
    }

    @Test("MentorshipStarted: cadence outside 1...365 days", arguments: [0, 366, -1, 70_000])
    func startedInvalidCadence(cadence: Int) throws {
        let fx = try MentorshipFixture(started: false)
        try fx.expectRejected(fx.command(fx.started(cadenceDays: cadence), at: 0), rule: .invalidCadence, field: "cadenceDays")
    }

    @Test("MentorshipStarted: cadence 1 and 365 days are fine", arguments: [1, 365])
    func startedCadenceBounds(cadence: Int) throws {
        let fx = try MentorshipFixture(started: false)
        try fx.expectAccepted(fx.command(fx.started(cadenceDays: cadence), at: 0))
        #expect(try fx.state().start?.cadenceDays == cadence)
    }

    @Test("MentorshipStarted: a planned end at or before the start", arguments: [10.0, 9.0])
    func startedPlannedEndBeforeStart(plannedEnd: Double) throws {
        let fx = try MentorshipFixture(started: false)
        try fx.expectRejected(fx.command(fx.started(plannedEnd: fx.day(plannedEnd)), at: 10), rule: .invalidTime, field: "plannedEnd")
        try fx.expectAccepted(fx.command(fx.started(plannedEnd: nil), at: 10))
    }

    @Test("MentorshipStarted: recorded by an outsider or another program's admin is refused",
          arguments: [Party.outsider, .otherProgramAdmin])
    func startedByStranger(recorder: Party) throws {
        let fx = try MentorshipFixture(started: false)
        try fx.expectRejected(fx.command(fx.started(), by: fx.id(of: recorder), at: 0), rule: .notAuthorized, field: "actor")
    }

    @Test("MentorshipStarted: recorded by either participant or an admin", arguments: [Party.mentor, .mentee, .admin, .system])
    func startedByParty(recorder: Party) throws {
        let fx = try MentorshipFixture(started: false)
        try fx.expectAccepted(fx.command(fx.started(), by: fx.id(of: recorder), at: 0))
        #expect(try fx.state().status == .active)
    }

    @Test("MentorshipPaused when paused; MentorshipResumed when active")
    func pauseResumeStatus() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(MentorshipResumed(), at: 1), rule: .mentorshipStatus, field: "event")
        try fx.expectAccepted(fx.command(MentorshipPaused(reason: "holiday", until: fx.day(20)), at: 2))
        #expect(try fx.state().status == .paused(until: fx.day(20)))
        try fx.expectRejected(fx.command(MentorshipPaused(reason: "again"), at: 3), rule: .mentorshipStatus, field: "event")
        try fx.expectAccepted(fx.command(MentorshipResumed(), by: fx.mentee, at: 4))
        #expect(try fx.state().status == .active)
        try fx.expectRejected(fx.command(MentorshipResumed(), at: 5), rule: .mentorshipStatus, field: "event")
    }

    @Test("MentorshipPaused: `until` at or before the pause", arguments: [5.0, 4.0])
    func pauseUntilInPast(until: Double) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(MentorshipPaused(reason: "holiday", until: fx.day(until)), at: 5), rule: .invalidTime, field: "until")
    }

    @Test("MentorshipPaused: the reason is required and bounded")
    func pauseReason() throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(MentorshipPaused(reason: ""), at: 1), rule: .invalidText, field: "reason")
        try fx.expectRejected(fx.command(MentorshipPaused(reason: Self.tooLongText), at: 1), rule: .invalidText, field: "reason")
    }

    @Test("An event dated before the mentorship started")
    func eventBeforeStartDate() throws {
        let fx = try MentorshipFixture(started: false)
        try fx.startMentorship(at: 5)
        try fx.expectRejected(fx.command(fx.goalSet(), by: fx.mentee, at: 4), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(fx.sessionHeld(), at: 4.999), rule: .invalidTime, field: "occurredAt")
        try fx.expectRejected(fx.command(MentorshipEnded(endedBy: .mentor, reason: .early), at: 0), rule: .invalidTime, field: "occurredAt")
        // At the very start is fine.
        try fx.expectAccepted(fx.command(fx.goalSet(), by: fx.mentee, at: 5))
    }

    // MARK: - Authorisation

    @Test("An outsider or another program's admin may not record a mentorship's events",
          arguments: [Party.outsider, .otherProgramAdmin])
    func strangerRecordsSession(recorder: Party) throws {
        let fx = try MentorshipFixture()
        let session = try fx.scheduleSession()
        let actor = fx.id(of: recorder)
        try fx.expectRejected(fx.command(fx.sessionHeld(session), by: actor, at: 3), rule: .notAuthorized, field: "actor")
        try fx.expectRejected(fx.command(fx.goalSet(), by: actor, at: 3), rule: .notAuthorized, field: "actor")
        try fx.expectRejected(fx.command(MentorshipEnded(endedBy: .admin, reason: .badFit), by: actor, at: 3), rule: .notAuthorized, field: "actor")
        try fx.expectRejected(fx.command(NudgeSent(rule: .noRecentSession, subject: fx.mentorship, recipient: fx.mentee), by: actor, at: 3),
                              rule: .notAuthorized, field: "actor")
    }

    @Test("The program's admin and the global system account may record a mentorship's events", arguments: [Party.admin, .system])
    func adminRecordsSession(recorder: Party) throws {
        let fx = try MentorshipFixture()
        let session = try fx.scheduleSession()
        try fx.expectAccepted(fx.command(fx.sessionHeld(session), by: fx.id(of: recorder), at: 3))
        try fx.expectAccepted(fx.command(fx.goalSet(), by: fx.id(of: recorder), at: 3))
        #expect(try fx.state().sessions[session]?.status == .held)
    }

    @Test("NudgeSent recorded by a participant is admin-only", arguments: [Party.mentor, .mentee])
    func nudgeByParticipant(recorder: Party) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(NudgeSent(rule: .taskOverdue, subject: UUID(), recipient: fx.mentee), by: fx.id(of: recorder), at: 2),
                              rule: .adminOnly, field: "actor")
    }

    @Test("NudgeSent recorded by the admin or the system, to a participant or the admin", arguments: [Party.admin, .system])
    func nudgeByAdmin(recorder: Party) throws {
        let fx = try MentorshipFixture()
        try fx.expectAccepted(fx.command(NudgeSent(rule: .firstSessionOverdue, subject: fx.mentorship, recipient: fx.mentor), by: fx.id(of: recorder), at: 10))
        try fx.expectAccepted(fx.command(NudgeSent(rule: .noShowStreak, subject: fx.mentorship, recipient: fx.admin), by: fx.id(of: recorder), at: 10))
        try fx.expectAccepted(fx.command(NudgeSent(rule: .lowRating, subject: fx.mentorship, recipient: fx.system), by: fx.id(of: recorder), at: 10))
    }

    @Test("NudgeSent to someone who is neither a participant nor an admin of the program",
          arguments: [Party.outsider, .otherProgramAdmin])
    func nudgeRecipientOutsider(recipient: Party) throws {
        let fx = try MentorshipFixture()
        try fx.expectRejected(fx.command(NudgeSent(rule: .inactive, subject: fx.mentorship, recipient: fx.id(of: recipient)), by: fx.admin, at: 10),
                              rule: .notAParticipant, field: "recipient")
    }

    @Test("MentorshipEnded: endedBy must match who records it (or an admin)",
          arguments: [
            (EndedBy.admin, Party.mentor), (.admin, .mentee), (.system, .mentor), (.system, .mentee),
            (.mentor, .mentee), (.mentee, .mentor),
          ])
    func endedByRefused(endedBy: EndedBy, recorder: Party) throws {
        let fx = try MentorshipFixture()
        // Ending for the other participant is not theirs to record; ending as admin or system needs an admin.
        let rule: AccountabilityRule = endedBy == .admin || endedBy == .system ? .adminOnly : .notAuthorized
        try fx.expectRejected(fx.command(MentorshipEnded(endedBy: endedBy, reason: .early), by: fx.id(of: recorder), at: 5),
                              rule: rule, field: "endedBy")
        #expect(try fx.state().status == .active)
    }

    @Test("MentorshipEnded: accepted from the party named or an admin",
          arguments: [
            (EndedBy.mentee, Party.mentee), (.mentor, .mentor), (.mentor, .admin), (.mentee, .system),
            (.admin, .admin), (.admin, .system), (.system, .system), (.system, .admin),
          ])
    func endedByAccepted(endedBy: EndedBy, recorder: Party) throws {
        let fx = try MentorshipFixture()
        try fx.expectAccepted(fx.command(MentorshipEnded(endedBy: endedBy, reason: .completed), by: fx.id(of: recorder), at: 5))
        #expect(try fx.state().status == .ended(by: endedBy, reason: .completed))
    }

    // MARK: - Text limits across events

    @Test("Reasons of 4,001 bytes are rejected as text.invalid on every event that has one")
    func reasonsTooLong() throws {
        let fx = try MentorshipFixture()
        let goal = try fx.setGoal()
        let task = try fx.assignTask()
        let session = try fx.scheduleSession()
        let long = Self.tooLongText
        let attempts: [MentorshipCommand] = [
            fx.command(GoalAbandoned(goal: goal, reason: long), at: 2),
            fx.command(GoalRevised(goal: goal, reason: long, target: 20), at: 2),
            fx.command(TaskCancelled(task: task, reason: long), at: 2),
            fx.command(SessionCancelled(session: session, cancelledBy: fx.mentor, reason: long), at: 2),
            fx.command(MentorshipPaused(reason: long), at: 2),
        ]
        for command in attempts {
            try fx.expectRejected(command, rule: .invalidText, field: "reason")
        }
        // 4,000 bytes are fine.
        try fx.expectAccepted(fx.command(GoalAbandoned(goal: goal, reason: String(repeating: "r", count: 4_000)), at: 2))
    }

    // MARK: - Batches

    @Test("A batch whose second command breaks a rule writes nothing, not even the valid first one")
    func batchWithInvalidSecondCommand() throws {
        let fx = try MentorshipFixture()
        let task = try fx.assignTask()
        let valid = fx.command(TaskCompleted(task: task), by: fx.mentee, at: 2)
        let invalid = fx.command(fx.feedback(rating: 9), by: fx.mentee, at: 2)
        try fx.expectRejected(batch: [valid, invalid], rule: .ratingOutOfRange, field: "rating")
        // The second is checked against the state the first leaves: completing twice is closed.
        let again = fx.command(TaskCompleted(task: task), by: fx.mentee, at: 3)
        try fx.expectRejected(batch: [valid, again], rule: .taskClosed, field: "task")
        #expect(try fx.state().tasks[task]?.status == .open)
        // The first alone was valid.
        try fx.expectAccepted(valid)
    }

    @Test("A batch may rely on its own earlier commands")
    func batchBuildsOnItself() throws {
        let fx = try MentorshipFixture()
        let goal = UUID()
        let task = UUID()
        let results = try fx.log.record([
            fx.command(fx.goalSet(goal), by: fx.mentee, at: 1),
            fx.command(fx.taskAssigned(task, goal: goal), at: 1),
            fx.command(TaskCompleted(task: task), by: fx.mentee, at: 2),
            fx.command(GoalAchieved(goal: goal), at: 3),
        ])
        #expect(results.count == 1)
        #expect(results.first?.positions.count == 4)
        #expect(results.first?.revision == 4)
        let state = try fx.state()
        #expect(state.tasks[task]?.status == .completed)
        #expect(state.goals[goal]?.status == .achieved)
    }

    // MARK: - A full lifecycle

    @Test("A valid full lifecycle is accepted and the state reflects it")
    func fullLifecycle() throws {
        let fx = try MentorshipFixture()
        let goal = UUID()
        let dropped = UUID()
        let held = UUID()
        let missed = UUID()
        let cancelled = UUID()
        let done = UUID()
        let dropTask = UUID()
        let commands: [MentorshipCommand] = [
            fx.command(fx.goalSet(goal, deadline: fx.day(60)), by: fx.mentee, at: 1),
            fx.command(fx.goalSet(dropped, title: "Give a conference talk"), by: fx.mentee, at: 1),
            fx.command(fx.sessionScheduled(held, for: fx.day(3)), at: 1),
            fx.command(fx.sessionHeld(held, minutes: 45, goals: [goal, dropped]), at: 3),
            fx.command(fx.feedback(from: fx.mentee, to: fx.mentor, rating: 5, session: held, comment: "clear plan"), by: fx.mentee, at: 3.5),
            fx.command(fx.feedback(from: fx.mentor, to: fx.mentee, rating: 4, session: held), by: fx.mentor, at: 3.5),
            fx.command(fx.taskAssigned(done, due: fx.day(10), goal: goal), at: 3),
            fx.command(fx.taskAssigned(dropTask, assignee: fx.mentor, due: fx.day(10)), at: 3),
            fx.command(TaskCompleted(task: done, evidence: "https://example.com/pr/42"), by: fx.mentee, at: 5),
            fx.command(TaskCancelled(task: dropTask, reason: "superseded"), by: fx.mentor, at: 5),
            fx.command(GoalRevised(goal: goal, reason: "going well", target: 12, deadline: fx.day(75)), at: 6),
            fx.command(GoalProgressRecorded(goal: goal, value: 6, note: "halfway"), by: fx.mentee, at: 7),
            fx.command(GoalAbandoned(goal: dropped, reason: "no conference this year"), by: fx.mentee, at: 7),
            fx.command(MentorshipPaused(reason: "holiday", until: fx.day(20)), by: fx.mentee, at: 8),
            fx.command(MentorshipResumed(), by: fx.mentee, at: 15),
            fx.command(GoalAchieved(goal: goal, finalValue: 12), at: 16),
            fx.command(fx.sessionScheduled(missed, for: fx.day(20)), at: 16),
            fx.command(SessionMissed(session: missed, absent: .mentee), at: 21),
            fx.command(NudgeSent(rule: .noShowStreak, subject: missed, recipient: fx.admin), by: fx.system, at: 21),
            fx.command(fx.sessionScheduled(cancelled, for: fx.day(28)), at: 22),
            fx.command(SessionCancelled(session: cancelled, cancelledBy: fx.mentee, reason: "wrapping up"), by: fx.mentee, at: 23),
            fx.command(MentorshipEnded(endedBy: .mentor, reason: .completed), at: 30),
        ]
        for command in commands {
            try fx.expectAccepted(command)
        }
        let state = try fx.state()
        #expect(state.revision == UInt64(commands.count))  // MentorshipStarted is revision 0
        #expect(state.status == .ended(by: .mentor, reason: .completed))
        #expect(state.mentor == fx.mentor)
        #expect(state.mentee == fx.mentee)
        #expect(state.program == fx.program)
        #expect(state.startedAt == fx.day(0))
        #expect(state.goals.count == 2)
        #expect(state.goals[goal]?.status == .achieved)
        #expect(state.goals[goal]?.target == 12)
        #expect(state.goals[goal]?.deadline == fx.day(75))
        #expect(state.goals[goal]?.latestValue == 12)
        #expect(state.goals[goal]?.setAt == fx.day(1))
        #expect(state.goals[dropped]?.status == .abandoned)
        #expect(state.sessions[held]?.status == .held)
        #expect(state.sessions[missed]?.status == .missed)
        #expect(state.sessions[cancelled]?.status == .cancelled)
        #expect(state.sessions[cancelled]?.scheduledFor == fx.day(28))
        #expect(state.tasks[done]?.status == .completed)
        #expect(state.tasks[dropTask]?.status == .cancelled)
        #expect(state.tasks[done]?.goal == goal)

        let stored = try fx.storedEvents()
        #expect(stored.map(\.streamRevision) == Array(0...UInt64(commands.count)))
        #expect(stored.dropFirst().map(\.id) == commands.map(\.id))
        #expect(stored.dropFirst().map(\.eventType) == commands.map(\.event.eventType))
        #expect(try fx.ledger.verify().isIntact)
    }
}
