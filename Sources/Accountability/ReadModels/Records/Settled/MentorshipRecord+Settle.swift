import EventLedger
import Foundation

extension MentorshipRecord {
    /// Settles the record as `settling` asks, once its latest event has moved a step
    /// (``RecordSettling/stepDays``) past the last settling.
    mutating func settleIfDue(_ settling: RecordSettling) {
        guard let days = settling.retentionDays else { return }
        let horizon = lastOccurredAt.microsecondsSinceEpoch - Int64(days) * EngagementClock.microsPerDay
        let previous = (settled.horizon ?? pair.startedAt).microsecondsSinceEpoch
        guard horizon - previous >= Int64(RecordSettling.stepDays) * EngagementClock.microsPerDay else { return }
        settle(before: Timestamp(microsecondsSinceEpoch: horizon))
    }

    /// Folds every fact dated before `horizon` into ``settled`` and drops it: sessions resolved
    /// (held, missed or cancelled) whose every time is before it, with their held sessions and
    /// first feedback; feedback, no-shows, cancellations, nudges sent and activity before it;
    /// goals closed before it with all their facts and linked tasks; tasks closed before it that
    /// no goal still live links.
    mutating func settle(before horizon: Timestamp) {
        if let current = settled.horizon, current >= horizon { return }
        settleSessions(before: horizon)
        settleGoalsAndTasks(before: horizon)
        settleFeedback(before: horizon)
        settleHealth(before: horizon)
        settleNudges(before: horizon)
        settled.lastActivity = activity.settle(before: horizon).map { time in settled.lastActivity.map { Swift.max($0, time) } ?? time }
            ?? settled.lastActivity
        settled.horizon = horizon
    }

    private mutating func settleSessions(before horizon: Timestamp) {
        // A session held twice, once recently, stays live.
        let heldRecently = Set(heldSessions.lazy.filter { $0.heldAt >= horizon }.map(\.session))
        var ids: [UUID] = []
        for (id, session) in sessions.sessions where session.isSettleable(before: horizon) && !heldRecently.contains(id) {
            ids.append(id)
        }
        guard !ids.isEmpty else { return }
        let settling = Set(ids)
        // Engagement's held sessions (one per SessionHeld), oldest first: periods only grow.
        let clock = EngagementClock(start: pair.startedAt, endedAt: pair.endedAt,
                                    pauses: pair.pauses.map { MentorshipPauseFact(pausedAt: $0.pausedAt, resumedAt: $0.resumedAt) },
                                    asOf: lastOccurredAt)
        let cadence = Int64(Swift.max(pair.cadenceDays, 1)) * EngagementClock.microsPerDay
        var leaving = heldSessions.filter { settling.contains($0.session) }
        leaving.sort { $0.heldAt < $1.heldAt }
        for held in leaving {
            settled.held += 1
            settled.minutes += held.minutes
            if settled.firstHeldAt.map({ held.heldAt < $0 }) ?? true { settled.firstHeldAt = held.heldAt }
            if settled.lastHeldAt.map({ held.heldAt > $0 }) ?? true { settled.lastHeldAt = held.heldAt }
            let period = Int(clock.activeMicros(at: held.heldAt) / cadence)
            if settled.lastPeriod.map({ period > $0 }) ?? true {
                settled.periodsWithSession += 1
                settled.lastPeriod = period
            }
            if firstFeedbackAt[held.session] != nil { settled.heldWithFeedback += 1 }
            if held.mentorAttended {
                settled.mentorAttended += 1
                settled.mentorMinutes += held.minutes
                if settled.mentorLastAttendedAt.map({ held.heldAt > $0 }) ?? true { settled.mentorLastAttendedAt = held.heldAt }
            }
            if held.menteeAttended {
                settled.menteeAttended += 1
                settled.menteeMinutes += held.minutes
                if settled.menteeLastAttendedAt.map({ held.heldAt > $0 }) ?? true { settled.menteeLastAttendedAt = held.heldAt }
            }
        }
        heldSessions.removeAll { settling.contains($0.session) }
        // Commitment's resolved sessions and cancellations, in streak order.
        var resolved: [(id: UUID, session: TrackedSession, key: StreakKey)] = []
        for id in ids {
            guard let session = sessions.sessions[id] else { continue }
            if let at = session.heldAt ?? session.missedAt {
                resolved.append((id, session, StreakKey(at: at, position: session.resolvedPosition)))
            }
            if let cancelledAt = session.cancelledAt,
               CommitmentFormulas.isShortNotice(scheduledFor: session.scheduledFor, cancelledAt: cancelledAt) {
                settled.pairShortNotice += 1
                if session.cancelledByMentor { settled.mentorShortNotice += 1 }
                if session.cancelledByMentee { settled.menteeShortNotice += 1 }
            }
        }
        resolved.sort { $0.key < $1.key }
        for (id, session, key) in resolved {
            if session.heldAt != nil {
                settled.pairHeld += 1
                settled.pairStreak.add(key, miss: false)
                if session.mentorAttended { settled.mentorHeld += 1; settled.mentorStreak.add(key, miss: false) }
                if session.menteeAttended { settled.menteeHeld += 1; settled.menteeStreak.add(key, miss: false) }
                settled.noteHeld(SettledHeldSession(session: id, key: key, answered: firstFeedbackAt[id] != nil))
            } else {
                settled.pairNoShows += 1
                settled.pairStreak.add(key, miss: true)
                if session.absentMentor { settled.mentorNoShows += 1; settled.mentorStreak.add(key, miss: true) }
                if session.absentMentee { settled.menteeNoShows += 1; settled.menteeStreak.add(key, miss: true) }
            }
        }
        sessions.sessions.removeAll { id, _ in settling.contains(id) }
        health.openScheduled.removeAll { id, _ in settling.contains(id) }
        firstFeedbackAt.removeAll { id, _ in settling.contains(id) }
    }

    private mutating func settleGoalsAndTasks(before horizon: Timestamp) {
        // A goal settles with its final entry once it and everything it counts lie before the horizon.
        var settledGoals: [UUID] = []
        for (id, goal) in goals where goal.isSettleable(before: horizon, tasks: tasks) {
            guard let progress = ProgressFormulas.evaluate(goal, id: id, mentorship: pair.mentorship, tasks: tasks, asOf: horizon) else { continue }
            settled.goals.assign(SettledGoal(progress), to: id)
            settledGoals.append(id)
        }
        if !settledGoals.isEmpty {
            let leaving = Set(settledGoals)
            goals.removeAll { id, _ in leaving.contains(id) }
        }
        // A task settles into the due / on-time counts unless a goal still live links it (the
        // goal's progress and at-risk walk read it).
        var linked = Set<UUID>()
        for (_, goal) in goals { linked.formUnion(goal.tasks) }
        var leaving: [UUID] = []
        for (id, task) in tasks where task.isSettleable(before: horizon) && !linked.contains(id) {
            settled.settle(task, of: pair)
            leaving.append(id)
        }
        if !leaving.isEmpty {
            let ids = Set(leaving)
            tasks.removeAll { id, _ in ids.contains(id) }
        }
    }

    private mutating func settleFeedback(before horizon: Timestamp) {
        var kept: [TrackedFeedback] = []
        kept.reserveCapacity(sessions.feedback.count)
        for feedback in sessions.feedback {
            if feedback.at < horizon, feedback.session.map({ sessions.sessions[$0] == nil }) ?? true {
                settled.settle(feedback, of: pair)
            } else {
                kept.append(feedback)
            }
        }
        sessions.feedback = kept
        // First-feedback times of sessions no longer live (settled, or never held) are settled too.
        let live = sessions.sessions
        firstFeedbackAt.removeAll { session, at in at < horizon && live[session] == nil }
    }

    private mutating func settleHealth(before horizon: Timestamp) {
        let noShows = health.noShowAt.reduce(0) { $0 + ($1 < horizon ? 1 : 0) }
        if noShows > 0 {
            settled.healthNoShows += noShows
            health.noShowAt.removeAll { $0 < horizon }
        }
        var kept: [HealthCancellationFact] = []
        for cancellation in health.cancellations {
            if cancellation.at < horizon {
                if let notice = cancellation.noticeMicros, notice < HealthFormulas.shortNoticeMicros { settled.healthShortNotice += 1 }
            } else {
                kept.append(cancellation)
            }
        }
        health.cancellations = kept
    }

    private mutating func settleNudges(before horizon: Timestamp) {
        var kept: [TrackedNudge] = []
        for nudge in sent {
            if nudge.at < horizon { settled.settle(nudge) } else { kept.append(nudge) }
        }
        sent = kept
        let sessions = self.sessions
        let feedbackSubjects = Set(sessions.feedback.compactMap(\.session))
        let tasks = self.tasks, goals = self.goals
        settled.prune(mentorship: pair.mentorship, isLive: { sessions.sessions[$0] != nil || feedbackSubjects.contains($0) },
                      isLiveTask: { tasks[$0] != nil }, isLiveGoal: { goals[$0] != nil })
    }
}

extension TrackedTask {
    /// Completed or cancelled, with every time it carries before `horizon`.
    func isSettleable(before horizon: Timestamp) -> Bool {
        guard let closedAt = completedAt ?? cancelledAt else { return false }
        return closedAt < horizon && assignedAt < horizon && due < horizon
    }
}

extension TrackedGoal {
    /// Achieved or abandoned before `horizon`, with every revision and measurement before it and
    /// each of its linked tasks settleable before it (its deadline no longer counts once closed).
    func isSettleable(before horizon: Timestamp, tasks: IDTable<TrackedTask>) -> Bool {
        guard let closedAt = achievedAt ?? abandonedAt, closedAt < horizon, setAt < horizon else { return false }
        if revisions.contains(where: { $0.at >= horizon }) { return false }
        if measurements.contains(where: { $0.at >= horizon }) { return false }
        return self.tasks.allSatisfy { id in tasks[id].map { $0.isSettleable(before: horizon) } ?? true }
    }
}

extension TrackedSession {
    /// Resolved (held, missed or cancelled) with every time it carries before `horizon`.
    func isSettleable(before horizon: Timestamp) -> Bool {
        guard heldAt != nil || missedAt != nil || cancelledAt != nil else { return false }
        for time in [scheduledFor, heldAt, missedAt, cancelledAt] {
            if let time, time >= horizon { return false }
        }
        return true
    }
}
