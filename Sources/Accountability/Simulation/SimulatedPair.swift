import EventLedger
import Foundation

/// One simulated mentorship: its behaviour, its own random stream, and its state, against which
/// every command it produces is checked with ``MentorshipRules`` (so the simulator can only
/// produce valid logs).
struct SimulatedPair {
    struct PendingSession {
        let id: UUID
        let day: Int
        let cancelDay: Int?
        let shortNotice: Bool
    }
    struct OpenTask {
        let id: UUID
        let assignee: UUID
        let dueDay: Int
        let doneDay: Int?
        let cancelDay: Int?
    }

    let id: UUID
    let mentor: UUID
    let mentee: UUID
    let profile: BehaviourProfile
    let cadence: Int
    let startDay: Int
    let plannedEndDay: Int
    let fadeDay: Int
    let badFitDay: Int
    let context: SimulationContext
    var random: SeededGenerator
    var state: MentorshipState
    var commands: [MentorshipCommand] = []

    private var day = 0
    private var pending: PendingSession?
    private var nextSessionDay = 0
    private var lastHeldDay: Int?
    private var lastHeldWithoutFeedback: (id: UUID, day: Int)?
    private var lastActivityDay = 0
    private var tasks: [OpenTask] = []
    private var pausedUntil: Int?
    private var misses = 0
    private var inactiveNudged = false

    init(index: Int, context: SimulationContext) {
        var random = SeededGenerator(seed: context.config.seed, stream: UInt64(index))
        self.context = context
        id = random.uuid()
        mentor = random.uuid()
        mentee = random.uuid()
        profile = BehaviourProfile.draw(&random)
        cadence = random.pick([7, 7, 14, 14, 14, 30])
        startDay = random.below(min(30, context.config.days))
        plannedEndDay = startDay + Int(Double(context.config.days) * (0.7 + 0.5 * random.unit()))
        fadeDay = startDay + random.int(in: 15...50)
        badFitDay = startDay + random.int(in: 40...90)
        self.random = random
        state = MentorshipState(mentorship: id)
    }

    private func at(_ hour: Double, day: Int? = nil) -> Timestamp {
        context.config.start.adding(seconds: Double(day ?? self.day) * 86_400 + hour * 3_600)
    }

    private func time(ofDay day: Int, hour: Double) -> Timestamp { at(hour, day: day) }

    private var isEnded: Bool { if case .ended = state.status { true } else { false } }
    private var hasFaded: Bool { profile == .fading && day >= fadeDay }
    private var activeGoals: [GoalState] {
        // Sorted by id so the choice never depends on dictionary order. Byte order is the order of
        // the ids' strings (fixed-width hex), without formatting a string per comparison.
        state.goals.values.filter { $0.status == .active }.sorted { $0.goal.bytesPrecede($1.goal) }
    }

    /// Checks, applies and records one event.
    private mutating func emit(_ event: some AccountabilityEventType, by actor: UUID, at hour: Double) throws {
        let command = MentorshipCommand(event, mentorship: id, by: actor, at: at(hour), id: random.uuid())
        try MentorshipRules.check(command.event, by: actor, at: command.occurredAt, against: state, admins: context.admins)
        state.apply(command.event, occurredAt: command.occurredAt)
        commands.append(command)
    }

    /// Produces the commands of `day` into ``commands``.
    mutating func step(day: Int) throws {
        self.day = day
        guard day >= startDay, !isEnded else { return }
        if day == startDay {
            try start()
            return
        }
        if let until = pausedUntil {
            guard day >= until else { return }
            pausedUntil = nil
            try emit(MentorshipResumed(), by: mentor, at: 9)
            nextSessionDay = day + 2
            lastActivityDay = day
        }
        if try endIfDue() { return }
        try sendNudges()
        try handleCancellation()
        if pending == nil, !hasFaded, profile != .fading || day < fadeDay, random.chance(0.003), profile == .steady || profile == .lateTasks {
            pausedUntil = day + random.int(in: 7...21)
            try emit(MentorshipPaused(reason: random.pick(["holiday", "workload", "parental leave", "exam period"]),
                                      until: time(ofDay: pausedUntil ?? day + 7, hour: 0)), by: mentor, at: 10)
            return
        }
        try scheduleIfDue()
        try workOnGoals()
        try workOnTasks()
        try resolveSession()
    }

    private mutating func start() throws {
        try emit(MentorshipStarted(mentorship: id, mentor: mentor, mentee: mentee, program: context.program, cadenceDays: cadence,
                                   plannedEnd: time(ofDay: plannedEndDay, hour: 17)), by: context.admin, at: 9)
        for _ in 0..<random.int(in: 1...2) { try setGoal() }
        nextSessionDay = startDay + (hasFadedEarly ? random.int(in: 9...16) : random.int(in: 2...8))
        lastActivityDay = day
    }

    private var hasFadedEarly: Bool { profile == .fading || profile == .noShowProne }

    private mutating func setGoal() throws {
        let goals: [(String, String, Double, Double)] = [
            ("Ship a feature end to end", "features", 0, 3), ("Speak at a team meeting", "talks", 0, 2),
            ("Reduce review turnaround", "hours", 48, 12), ("Read on system design", "chapters", 0, 10),
            ("Raise test coverage", "%", 55, 80), ("Lower on-call pages", "pages/week", 9, 3),
        ]
        let (title, unit, baseline, target) = random.pick(goals)
        let metric = GoalMetric(name: title.lowercased(), unit: unit, baseline: baseline, target: target)
        try emit(GoalSet(goal: random.uuid(), owner: mentee, title: title, metric: metric, mentorAgreed: true,
                         rationale: "agreed as a growth area in the kickoff", deadline: time(ofDay: day + random.int(in: 45...150), hour: 17)),
                 by: mentee, at: 11)
    }

    private mutating func endIfDue() throws -> Bool {
        // A pair that ghosted is closed for inactivity a week after the 90-day nudge, or at its
        // planned end, whichever comes first.
        if hasFaded, day - lastActivityDay >= 97 || day >= plannedEndDay {
            try emit(MentorshipEnded(endedBy: .system, reason: .inactivity), by: context.systemAccount, at: 7)
            return true
        }
        if day >= plannedEndDay {
            try emit(MentorshipEnded(endedBy: .mentor, reason: .completed), by: mentor, at: 17)
            return true
        }
        if profile == .badFit, day >= badFitDay {
            let byMentee = random.chance(0.6)
            try emit(MentorshipEnded(endedBy: byMentee ? .mentee : .mentor, reason: .badFit), by: byMentee ? mentee : mentor, at: 17)
            return true
        }
        if profile == .steady, random.chance(0.0004) {
            try emit(MentorshipEnded(endedBy: .admin, reason: .early), by: context.admin, at: 17)
            return true
        }
        return false
    }

    private mutating func nudge(_ rule: NudgeRule, about subject: UUID, to recipient: UUID, at hour: Double = 7) throws {
        try emit(NudgeSent(rule: rule, subject: subject, recipient: recipient), by: context.systemAccount, at: hour)
    }

    private mutating func sendNudges() throws {
        if lastHeldDay == nil, day - startDay == 10 {
            try nudge(.firstSessionOverdue, about: id, to: mentor)
        }
        if let last = lastHeldDay, day - last == max(14, cadence * 3 / 2) {
            try nudge(.noRecentSession, about: id, to: mentee)
        }
        if !inactiveNudged, day - lastActivityDay >= 90 {
            inactiveNudged = true
            try nudge(.inactive, about: id, to: context.admin)
        }
        if let held = lastHeldWithoutFeedback, day - held.day == 2 {
            lastHeldWithoutFeedback = nil
            try nudge(.feedbackMissing, about: held.id, to: mentee)
            try nudge(.feedbackMissing, about: held.id, to: mentor)
        }
        for task in tasks where task.dueDay == day - 1 && state.tasks[task.id]?.status == .open {
            try nudge(.taskOverdue, about: task.id, to: task.assignee)
        }
        // A deadline entering its last 7 days while less than 80 % of the way there.
        let window = (at(7).adding(seconds: 6 * 86_400), at(7).adding(seconds: 7 * 86_400))
        for goal in activeGoals where goal.deadline > window.0 && goal.deadline <= window.1 && progress(of: goal) < 0.8 {
            try nudge(.goalDeadlineAtRisk, about: goal.goal, to: goal.owner)
        }
    }

    private func progress(of goal: GoalState) -> Double {
        guard let value = goal.latestValue else { return 0 }
        return (value - goal.baseline) / (goal.target - goal.baseline)
    }

    private mutating func handleCancellation() throws {
        guard let session = pending, session.cancelDay == day else { return }
        let hour: Double = session.shortNotice ? 8 : 12
        try emit(SessionCancelled(session: session.id, cancelledBy: random.chance(0.5) ? mentor : mentee,
                                  reason: random.pick(["conflict", "sick", "travel", "deadline at work"])), by: random.chance(0.5) ? mentor : mentee, at: hour)
        pending = nil
        nextSessionDay = session.day + random.int(in: 2...5)
    }

    private mutating func scheduleIfDue() throws {
        guard pending == nil, !hasFaded, day >= nextSessionDay - 3 else { return }
        let sessionDay = max(nextSessionDay, day + 1)
        var cancelDay: Int?
        var shortNotice = false
        if random.chance(profile.cancelRate) {
            shortNotice = random.chance(0.4)
            cancelDay = shortNotice ? sessionDay : max(day + 1, sessionDay - 2)
        }
        let session = PendingSession(id: random.uuid(), day: sessionDay, cancelDay: cancelDay, shortNotice: shortNotice)
        try emit(SessionScheduled(session: session.id, scheduledFor: time(ofDay: sessionDay, hour: 15), plannedMinutes: random.pick([30, 45, 60, 60])),
                 by: mentor, at: 10)
        pending = session
    }

    private mutating func workOnGoals() throws {
        for goal in activeGoals {
            if random.chance(hasFaded ? 0.01 : 0.0015) {
                try emit(GoalAbandoned(goal: goal.goal, reason: random.pick(["priorities changed", "no longer relevant", "out of time"])), by: mentee, at: 11.5)
            } else if !hasFaded, random.chance(0.004) {
                let easier = random.chance(0.6)
                let span = goal.target - goal.baseline
                if random.chance(0.5) {
                    let factor = easier ? 0.6 + 0.2 * random.unit() : 1.2 + 0.3 * random.unit()
                    let target = (goal.baseline + span * factor).rounded()
                    guard target != goal.baseline, target != goal.target else { continue }
                    try emit(GoalRevised(goal: goal.goal, reason: easier ? "scope was too ambitious" : "ahead of plan", target: target), by: mentee, at: 11.5)
                } else {
                    let base = max(goal.deadline, at(11.5))
                    let shift = Double(random.int(in: 14...30)) * 86_400 * (easier ? 1 : -0.3)
                    let deadline = base.adding(seconds: shift)
                    guard deadline > at(11.5).adding(seconds: 86_400), deadline != goal.deadline else { continue }
                    try emit(GoalRevised(goal: goal.goal, reason: easier ? "more time needed" : "pulled in", deadline: deadline), by: mentee, at: 11.5)
                }
            }
        }
        if !hasFaded, activeGoals.count < 3, random.chance(0.006) { try setGoal() }
    }

    private mutating func workOnTasks() throws {
        var remaining: [OpenTask] = []
        for task in tasks {
            // `<=`: a task due to be resolved while the pair was paused is resolved on return.
            if let done = task.doneDay, done <= day {
                try emit(TaskCompleted(task: task.id, evidence: random.chance(0.7) ? "link to the write-up" : nil), by: task.assignee, at: 12)
                lastActivityDay = day
            } else if let cancel = task.cancelDay, cancel <= day {
                try emit(TaskCancelled(task: task.id, reason: "superseded"), by: mentor, at: 12.5)
            } else {
                remaining.append(task)
            }
        }
        tasks = remaining
    }

    private mutating func resolveSession() throws {
        guard let session = pending, session.day == day else { return }
        pending = nil
        let missRate = hasFaded ? 0.8 : profile.missRate
        if random.chance(missRate) {
            let roll = random.below(100)
            let absent: AbsentParty = roll < 60 ? .mentee : roll < 85 ? .mentor : .both
            try emit(SessionMissed(session: session.id, absent: absent), by: absent == .mentor ? mentee : mentor, at: 18)
            misses += 1
            if misses == 2 { try nudge(.noShowStreak, about: id, to: context.admin, at: 18.5) }
            nextSessionDay = day + max(3, cadence / 2)
            return
        }
        misses = 0
        var discussed: [UUID] = []
        for goal in activeGoals where random.chance(0.5) { discussed.append(goal.goal) }
        try emit(SessionHeld(session: session.id, minutes: random.int(in: 25...75), attendees: [mentor, mentee], goals: discussed), by: mentor, at: 15)
        lastHeldDay = day
        lastActivityDay = day
        nextSessionDay = day + max(1, cadence + random.int(in: -1...2))
        try assignTask()
        try recordProgress()
        try giveFeedback(about: session.id)
    }

    private mutating func assignTask() throws {
        guard random.chance(0.6) else { return }
        let assignee = random.chance(0.85) ? mentee : mentor
        let dueDay = day + max(3, cadence)
        let goal = activeGoals.isEmpty || random.chance(0.5) ? nil : random.pick(activeGoals).goal
        let id = random.uuid()
        try emit(TaskAssigned(task: id, assignee: assignee, due: time(ofDay: dueDay, hour: 17), goal: goal), by: mentor, at: 16.5)
        var doneDay: Int?
        var cancelDay: Int?
        if random.chance(profile.onTimeRate) {
            doneDay = random.int(in: day + 1...dueDay)
        } else if random.chance(0.7) {
            doneDay = dueDay + random.int(in: 1...10)
        } else if random.chance(0.5) {
            cancelDay = dueDay + 14
        }
        if profile == .fading, let done = doneDay, done >= fadeDay { doneDay = nil }
        tasks.append(OpenTask(id: id, assignee: assignee, dueDay: dueDay, doneDay: doneDay, cancelDay: cancelDay))
    }

    private mutating func recordProgress() throws {
        guard !activeGoals.isEmpty, random.chance(0.5) else { return }
        let goal = random.pick(activeGoals)
        let span = goal.target - goal.baseline
        let current = goal.latestValue ?? goal.baseline
        let step = span * (random.chance(0.15) ? -0.1 : 0.1 + 0.3 * random.unit())
        let value = ((current + step) * 10).rounded() / 10
        try emit(GoalProgressRecorded(goal: goal.goal, value: value, note: random.chance(0.3) ? "measured after the session" : nil), by: mentee, at: 19)
        if (value - goal.baseline) / span >= 1 {
            try emit(GoalAchieved(goal: goal.goal, finalValue: value), by: mentor, at: 19.5)
        }
    }

    private mutating func giveFeedback(about session: UUID) throws {
        var given = false
        for (from, to, hour) in [(mentee, mentor, 20.0), (mentor, mentee, 20.5)] where random.chance(profile.feedbackRate) {
            let rating = profile.rating(&random)
            try emit(FeedbackGiven(from: from, to: to, rating: rating, session: session,
                                   comment: random.chance(0.4) ? random.pick(["useful", "we ran out of time", "great prep", "felt rushed"]) : nil),
                     by: from, at: hour)
            if rating <= 2 { try nudge(.lowRating, about: session, to: context.admin, at: hour + 0.25) }
            given = true
        }
        lastHeldWithoutFeedback = given ? nil : (session, day)
    }
}

extension UUID {
    /// Whether this id's 16 bytes sort before `other`'s: the same order as their `uuidString`s.
    fileprivate func bytesPrecede(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { a in
            withUnsafeBytes(of: other.uuid) { b in a.lexicographicallyPrecedes(b) }
        }
    }
}
