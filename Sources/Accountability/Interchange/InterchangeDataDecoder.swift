import EventLedger
import Foundation

/// Reads the `data` object of an interchange line into a built-in event (Docs/ExportFormat.md).
enum InterchangeDataDecoder {
    /// The event of `type` described by `data`, on `mentorship`'s stream.
    ///
    /// - Throws: ``InterchangeError`` naming the field (`data.rating`) when a field is missing, of
    ///   the wrong JSON type, or not a field of the type.
    static func decode(type: String, data object: JSONObject, mentorship: UUID) throws(InterchangeError) -> AccountabilityEvent {
        var data = InterchangeFields(object, path: "data")
        let event: AccountabilityEvent
        switch type {
        case MentorshipStarted.eventType:
            event = .mentorshipStarted(MentorshipStarted(
                mentorship: mentorship, mentor: try data.uuid("mentor"), mentee: try data.uuid("mentee"),
                program: try data.uuid("program"), cadenceDays: try data.int("cadenceDays"),
                plannedEnd: try data.optionalTimestamp("plannedEnd")))
        case MentorshipPaused.eventType:
            event = .mentorshipPaused(MentorshipPaused(reason: try data.string("reason"), until: try data.optionalTimestamp("until")))
        case MentorshipResumed.eventType:
            event = .mentorshipResumed(MentorshipResumed())
        case MentorshipEnded.eventType:
            event = .mentorshipEnded(MentorshipEnded(endedBy: try data.choice("endedBy", EndedBy.self), reason: try data.choice("reason", EndReason.self)))
        case GoalSet.eventType:
            let goal = try data.uuid("goal")
            let owner = try data.uuid("owner")
            let title = try data.string("title")
            var metric = try data.object("metric")
            let goalMetric = GoalMetric(name: try metric.string("name"), unit: try metric.string("unit"),
                                        baseline: try metric.double("baseline"), target: try metric.double("target"))
            try metric.finish("a goal metric (name, unit, baseline, target)")
            event = .goalSet(GoalSet(goal: goal, owner: owner, title: title, metric: goalMetric,
                                     mentorAgreed: try data.bool("mentorAgreed"), rationale: try data.string("rationale"),
                                     deadline: try data.timestamp("deadline")))
        case GoalRevised.eventType:
            event = .goalRevised(GoalRevised(goal: try data.uuid("goal"), reason: try data.string("reason"),
                                             target: try data.optionalDouble("target"), deadline: try data.optionalTimestamp("deadline")))
        case GoalProgressRecorded.eventType:
            event = .goalProgressRecorded(GoalProgressRecorded(goal: try data.uuid("goal"), value: try data.double("value"), note: try data.optionalString("note")))
        case GoalAchieved.eventType:
            event = .goalAchieved(GoalAchieved(goal: try data.uuid("goal"), finalValue: try data.optionalDouble("finalValue")))
        case GoalAbandoned.eventType:
            event = .goalAbandoned(GoalAbandoned(goal: try data.uuid("goal"), reason: try data.string("reason")))
        case SessionScheduled.eventType:
            event = .sessionScheduled(SessionScheduled(session: try data.uuid("session"), scheduledFor: try data.timestamp("scheduledFor"),
                                                       plannedMinutes: try data.int("plannedMinutes")))
        case SessionHeld.eventType:
            event = .sessionHeld(SessionHeld(session: try data.uuid("session"), minutes: try data.int("minutes"),
                                             attendees: try data.uuids("attendees"), goals: try data.optionalUUIDs("goals") ?? []))
        case SessionCancelled.eventType:
            event = .sessionCancelled(SessionCancelled(session: try data.uuid("session"), cancelledBy: try data.uuid("cancelledBy"), reason: try data.string("reason")))
        case SessionMissed.eventType:
            event = .sessionMissed(SessionMissed(session: try data.uuid("session"), absent: try data.choice("absent", AbsentParty.self)))
        case TaskAssigned.eventType:
            event = .taskAssigned(TaskAssigned(task: try data.uuid("task"), assignee: try data.uuid("assignee"), due: try data.timestamp("due"), goal: try data.optionalUUID("goal")))
        case TaskCompleted.eventType:
            event = .taskCompleted(TaskCompleted(task: try data.uuid("task"), evidence: try data.optionalString("evidence")))
        case TaskCancelled.eventType:
            event = .taskCancelled(TaskCancelled(task: try data.uuid("task"), reason: try data.string("reason")))
        case FeedbackGiven.eventType:
            event = .feedbackGiven(FeedbackGiven(from: try data.uuid("from"), to: try data.uuid("to"), rating: try data.int("rating"),
                                                 session: try data.optionalUUID("session"), comment: try data.optionalString("comment")))
        case NudgeSent.eventType:
            event = .nudgeSent(NudgeSent(rule: try data.choice("rule", NudgeRule.self), subject: try data.uuid("subject"), recipient: try data.uuid("recipient")))
        default:
            throw InterchangeError(field: "type", "\"\(type.prefix(60))\" is not a built-in event type (\(AccountabilityEvent.typeNames.joined(separator: ", ")))")
        }
        try data.finish(type)
        return event
    }
}
