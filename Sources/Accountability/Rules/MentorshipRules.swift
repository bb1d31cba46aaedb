public import EventLedger
public import Foundation

/// The rules every mentorship event must pass before it is appended (README, The mentoring domain).
///
/// In order (so that someone who may not record an event learns nothing about the mentorship):
/// 1. Authorisation: only the mentor, the mentee or an admin of the program may record a
///    mentorship's events (a start is checked against the people it names); ``NudgeSent`` and
///    endings by `admin` or `system` need an admin; feedback is recorded by its giver (or an
///    admin), and nobody rates themselves.
/// 2. Lifecycle: a mentorship starts once, on an empty stream, with its own id; every other event
///    needs a started mentorship that has not ended, and may not be dated before the start.
/// 3. The event's own fields (`validate()`): texts present and bounded, numbers finite, ratings
///    1–5, durations 1–720 minutes, cadence 1–365 days, SMART parts that need no context.
/// 4. The event against the state: ids that must be new are new, referenced goals, sessions and
///    tasks exist and are still open, named people are participants, and times are in order
///    (a goal's deadline after it is set — the T of SMART —, a task due after it is assigned,
///    a session scheduled in the future, cancelled before it is due, and a no-show recorded after
///    it was due; nothing dated before the goal, task or session it refers to).
///
/// Each broken rule throws an ``AccountabilityError`` naming the ``AccountabilityRule`` and the
/// field.
public enum MentorshipRules {
    /// Checks `event`, recorded by `actor` and dated `occurredAt`, against `state`.
    public static func check(_ event: AccountabilityEvent, by actor: UUID, at occurredAt: Timestamp,
                             against state: MentorshipState, admins: ProgramAdmins) throws(AccountabilityError) {
        do {
            try checkUnlabelled(event, by: actor, at: occurredAt, against: state, admins: admins)
        } catch {
            throw error.about(state.mentorship)
        }
    }

    private static func checkUnlabelled(_ event: AccountabilityEvent, by actor: UUID, at occurredAt: Timestamp,
                                        against state: MentorshipState, admins: ProgramAdmins) throws(AccountabilityError) {
        if case .mentorshipStarted(let start) = event {
            try checkStart(start, by: actor, at: occurredAt, state: state, admins: admins)
            return
        }
        guard let start = state.start, let startedAt = state.startedAt else {
            throw AccountabilityError(.mentorshipNotStarted, field: "event", "\(event.eventType) needs a started mentorship; record MentorshipStarted first")
        }
        let isAdmin = admins.isAdmin(actor, of: start.program)
        guard isAdmin || state.isParticipant(actor) else {
            throw AccountabilityError(.notAuthorized, field: "actor", "\(actor.uuidString.lowercased()) is neither the mentor, the mentee nor an admin of the program")
        }
        if case .ended(let by, let reason) = state.status {
            throw AccountabilityError(.mentorshipEnded, field: "event", "the mentorship ended (by \(by.name), \(reason.name)); nothing more may be recorded on it")
        }
        try validateFields(event)
        guard occurredAt >= startedAt else {
            throw AccountabilityError(.invalidTime, field: "occurredAt", "occurredAt \(occurredAt) is before the mentorship started at \(startedAt)")
        }
        try checkAgainstState(event, by: actor, isAdmin: isAdmin, at: occurredAt, state: state, admins: admins)
    }

    /// The event's own checks; every built-in `validate()` throws ``AccountabilityError``.
    private static func validateFields(_ event: AccountabilityEvent) throws(AccountabilityError) {
        do {
            try event.event.validate()
        } catch let error as AccountabilityError {
            throw error
        } catch {
            throw AccountabilityError(.invalidText, field: "event", "\(event.eventType) is invalid: \(error)")
        }
    }

    private static func checkStart(_ start: MentorshipStarted, by actor: UUID, at occurredAt: Timestamp,
                                   state: MentorshipState, admins: ProgramAdmins) throws(AccountabilityError) {
        guard actor == start.mentor || actor == start.mentee || admins.isAdmin(actor, of: start.program) else {
            throw AccountabilityError(.notAuthorized, field: "actor", "\(actor.uuidString.lowercased()) is neither the mentor, the mentee nor an admin of the program")
        }
        guard state.revision == nil, state.status == .notStarted else {
            throw AccountabilityError(.mentorshipAlreadyStarted, field: "event", "the mentorship already has events; it starts only once")
        }
        guard start.mentorship == state.mentorship else {
            throw AccountabilityError(.mentorshipMismatch, field: "mentorship", "mentorship \(start.mentorship.uuidString.lowercased()) does not match the stream's mentorship")
        }
        try validateFields(.mentorshipStarted(start))
        if let plannedEnd = start.plannedEnd, plannedEnd <= occurredAt {
            throw AccountabilityError(.invalidTime, field: "plannedEnd", "plannedEnd \(plannedEnd) is not after the start \(occurredAt)")
        }
    }

    // One switch over the catalogue; each case names the field at fault.
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private static func checkAgainstState(_ event: AccountabilityEvent, by actor: UUID, isAdmin: Bool, at occurredAt: Timestamp,
                                          state: MentorshipState, admins: ProgramAdmins) throws(AccountabilityError) {
        switch event {
        case .mentorshipStarted:
            return
        case .mentorshipPaused(let e):
            guard state.status == .active else {
                throw AccountabilityError(.mentorshipStatus, field: "event", "only an active mentorship can be paused; it is \(state.status)")
            }
            if let until = e.until, until <= occurredAt {
                throw AccountabilityError(.invalidTime, field: "until", "until \(until) is not after the pause \(occurredAt)")
            }
        case .mentorshipResumed:
            guard case .paused = state.status else {
                throw AccountabilityError(.mentorshipStatus, field: "event", "only a paused mentorship can be resumed; it is \(state.status)")
            }
            if let pausedAt = state.pausedAt { try notBefore(pausedAt, "the mentorship was paused", occurredAt) }
        case .mentorshipEnded(let e):
            // An end dated before what already happened would hide those events from the models.
            if let latest = state.latestOccurredAt { try notBefore(latest, "the mentorship's latest event", occurredAt) }
            let allowed: Bool = switch e.endedBy {
            case .mentor: isAdmin || actor == state.mentor
            case .mentee: isAdmin || actor == state.mentee
            case .admin, .system: isAdmin
            }
            guard allowed else {
                let byParticipant = e.endedBy == .mentor || e.endedBy == .mentee
                throw AccountabilityError(byParticipant ? .notAuthorized : .adminOnly, field: "endedBy",
                                          "endedBy \(e.endedBy.name) must be recorded by \(byParticipant ? "that participant or " : "")an admin of the program")
            }
        case .goalSet(let e):
            guard state.goals[e.goal] == nil else {
                throw AccountabilityError(.duplicateID, field: "goal", "goal \(e.goal.uuidString.lowercased()) is already set in this mentorship")
            }
            try participant(e.owner, "owner", state)
            guard e.deadline > occurredAt else {
                throw AccountabilityError(.goalNotTimeBound, field: "deadline", "deadline \(e.deadline) is not after the time the goal is set (\(occurredAt))")
            }
        case .goalRevised(let e):
            let goal = try activeGoal(e.goal, "goal", state, at: occurredAt)
            if let target = e.target, target == goal.baseline {
                throw AccountabilityError(.goalNotMeasurable, field: "target", "target equals the goal's baseline (\(goal.baseline)); there is nothing to measure")
            }
            if let target = e.target, (target > goal.baseline) != (goal.target > goal.baseline) {
                throw AccountabilityError(.goalNotMeasurable, field: "target", "target \(target) is on the other side of the baseline \(goal.baseline) from the current target \(goal.target); set a new goal instead of reversing this one")
            }
            if let deadline = e.deadline, deadline <= occurredAt {
                throw AccountabilityError(.goalNotTimeBound, field: "deadline", "deadline \(deadline) is not after the revision (\(occurredAt))")
            }
            if (e.target ?? goal.target) == goal.target, (e.deadline ?? goal.deadline) == goal.deadline {
                throw AccountabilityError(.revisionChangesNothing, field: e.target != nil ? "target" : "deadline", "the revision repeats the goal's current target and deadline")
            }
        case .goalProgressRecorded(let e):
            _ = try activeGoal(e.goal, "goal", state, at: occurredAt)
        case .goalAchieved(let e):
            _ = try activeGoal(e.goal, "goal", state, at: occurredAt)
        case .goalAbandoned(let e):
            _ = try activeGoal(e.goal, "goal", state, at: occurredAt)
        case .sessionScheduled(let e):
            guard state.sessions[e.session] == nil else {
                throw AccountabilityError(.duplicateID, field: "session", "session \(e.session.uuidString.lowercased()) already exists in this mentorship")
            }
            guard e.scheduledFor > occurredAt else {
                throw AccountabilityError(.invalidTime, field: "scheduledFor", "scheduledFor \(e.scheduledFor) is not after the time it is scheduled (\(occurredAt))")
            }
        case .sessionHeld(let e):
            if let session = state.sessions[e.session] {
                guard session.status == .scheduled else {
                    throw AccountabilityError(.sessionClosed, field: "session", "session \(e.session.uuidString.lowercased()) was already \(session.status)")
                }
                try notBefore(session.recordedAt, "the session was scheduled", occurredAt)
            }
            for attendee in e.attendees { try participant(attendee, "attendees", state) }
            for goal in e.goals where state.goals[goal] == nil {
                throw AccountabilityError(.unknownGoal, field: "goals", "goal \(goal.uuidString.lowercased()) is not set in this mentorship")
            }
        case .sessionCancelled(let e):
            let session = try openSession(e.session, state, at: occurredAt)
            if let due = session.scheduledFor, occurredAt >= due {
                throw AccountabilityError(.invalidTime, field: "occurredAt", "a cancellation at \(occurredAt) comes after the session was due at \(due); record SessionMissed instead")
            }
            try participant(e.cancelledBy, "cancelledBy", state)
        case .sessionMissed(let e):
            let session = try openSession(e.session, state, at: occurredAt)
            if let due = session.scheduledFor, occurredAt < due {
                throw AccountabilityError(.invalidTime, field: "occurredAt", "a no-show is recorded at \(occurredAt), before the session was due at \(due)")
            }
        case .taskAssigned(let e):
            guard state.tasks[e.task] == nil else {
                throw AccountabilityError(.duplicateID, field: "task", "task \(e.task.uuidString.lowercased()) is already assigned in this mentorship")
            }
            try participant(e.assignee, "assignee", state)
            guard e.due > occurredAt else {
                throw AccountabilityError(.taskDueInPast, field: "due", "due \(e.due) is not after the time the task is assigned (\(occurredAt))")
            }
            if let goal = e.goal { _ = try activeGoal(goal, "goal", state, at: occurredAt) }
        case .taskCompleted(let e):
            try openTask(e.task, state, at: occurredAt)
        case .taskCancelled(let e):
            try openTask(e.task, state, at: occurredAt)
        case .feedbackGiven(let e):
            try participant(e.from, "from", state)
            try participant(e.to, "to", state)
            guard isAdmin || actor == e.from else {
                throw AccountabilityError(.feedbackOnBehalf, field: "from", "feedback from \(e.from.uuidString.lowercased()) must be recorded by its giver or an admin")
            }
            if let id = e.session {
                guard let session = state.sessions[id] else {
                    throw AccountabilityError(.unknownSession, field: "session", "session \(id.uuidString.lowercased()) is not known in this mentorship")
                }
                guard session.status == .held, let heldAt = session.heldAt else {
                    throw AccountabilityError(.feedbackSessionNotHeld, field: "session", "session \(id.uuidString.lowercased()) was \(session.status), not held")
                }
                try notBefore(heldAt, "the session was held", occurredAt)
            }
        case .nudgeSent(let e):
            guard isAdmin else {
                throw AccountabilityError(.adminOnly, field: "actor", "NudgeSent is recorded by the program's admin or system account")
            }
            guard let program = state.program, state.isParticipant(e.recipient) || admins.isAdmin(e.recipient, of: program) else {
                throw AccountabilityError(.notAParticipant, field: "recipient", "recipient \(e.recipient.uuidString.lowercased()) is neither a participant nor an admin of the program")
            }
        }
    }

    private static func participant(_ person: UUID, _ field: String, _ state: MentorshipState) throws(AccountabilityError) {
        guard state.isParticipant(person) else {
            throw AccountabilityError(.notAParticipant, field: field, "\(field) \(person.uuidString.lowercased()) is neither the mentor nor the mentee of this mentorship")
        }
    }

    /// Nothing is dated before what it refers to.
    private static func notBefore(_ time: Timestamp, _ what: String, _ occurredAt: Timestamp) throws(AccountabilityError) {
        guard occurredAt >= time else {
            throw AccountabilityError(.invalidTime, field: "occurredAt", "occurredAt \(occurredAt) is before \(what) (\(time))")
        }
    }

    private static func activeGoal(_ id: UUID, _ field: String, _ state: MentorshipState, at occurredAt: Timestamp) throws(AccountabilityError) -> GoalState {
        guard let goal = state.goals[id] else {
            throw AccountabilityError(.unknownGoal, field: field, "goal \(id.uuidString.lowercased()) is not set in this mentorship")
        }
        guard goal.status == .active else {
            throw AccountabilityError(.goalClosed, field: field, "goal \(id.uuidString.lowercased()) is already \(goal.status)")
        }
        try notBefore(goal.setAt, "the goal was set", occurredAt)
        return goal
    }

    private static func openSession(_ id: UUID, _ state: MentorshipState, at occurredAt: Timestamp) throws(AccountabilityError) -> SessionState {
        guard let session = state.sessions[id] else {
            throw AccountabilityError(.unknownSession, field: "session", "session \(id.uuidString.lowercased()) was never scheduled in this mentorship")
        }
        guard session.status == .scheduled else {
            throw AccountabilityError(.sessionClosed, field: "session", "session \(id.uuidString.lowercased()) was already \(session.status)")
        }
        try notBefore(session.recordedAt, "the session was scheduled", occurredAt)
        return session
    }

    private static func openTask(_ id: UUID, _ state: MentorshipState, at occurredAt: Timestamp) throws(AccountabilityError) {
        guard let task = state.tasks[id] else {
            throw AccountabilityError(.unknownTask, field: "task", "task \(id.uuidString.lowercased()) was never assigned in this mentorship")
        }
        guard task.status == .open else {
            throw AccountabilityError(.taskClosed, field: "task", "task \(id.uuidString.lowercased()) was already \(task.status)")
        }
        try notBefore(task.assignedAt, "the task was assigned", occurredAt)
    }
}
