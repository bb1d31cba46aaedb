import EventLedger
import Foundation

/// The nudge rules (README, Read models), evaluated for one mentorship as of an explicit asOf.
enum NudgeRules {
    static let microsPerDay: Int64 = 86_400_000_000
    /// First session not held this long (unpaused) after the start.
    static let firstSessionMicros = 10 * microsPerDay
    /// No session for max(14 days, 1.5 × cadence).
    static func noSessionMicros(cadenceDays: Int) -> Int64 {
        Int64((Swift.max(14, 1.5 * Double(cadenceDays)) * Double(microsPerDay)).rounded())
    }
    /// Feedback is missing this long (unpaused) after a held session.
    static let feedbackMicros: Int64 = 48 * 3_600_000_000
    /// A goal's deadline is "near" within this long.
    static let goalWindowMicros = 7 * microsPerDay
    /// No activity for this long (unpaused): suggest closing.
    static let inactiveMicros = 90 * microsPerDay
    /// A rating at or below this is low.
    static let lowRating = 2
    /// This many no-shows in a row alert the admins.
    static let noShowStreak = 2

    /// Appends the nudges due for `facts` as of `asOf`.
    static func due(_ facts: NudgeMentorshipFacts, asOf: Timestamp, into nudges: inout [DueNudge]) {
        let pair = facts.pair
        // Not started yet, ended, or paused: nothing is due.
        guard pair.isStarted(asOf: asOf), !pair.isEnded(asOf: asOf), !pair.isPaused(asOf: asOf) else { return }
        let clock = NudgeClock(pauses: pair.pauses, asOf: asOf)
        let admins = NudgeRecipient.programAdmins(program: pair.program)
        let both = [NudgeRecipient.participant(pair.mentor), .participant(pair.mentee)]

        func emit(_ rule: NudgeRule, _ subject: UUID, _ recipients: [NudgeRecipient], began: Timestamp) {
            guard began <= asOf else { return }
            for recipient in recipients where !alreadySent(facts.sent, rule, subject, recipient, since: began, asOf: asOf) {
                nudges.append(DueNudge(rule: rule, mentorship: pair.mentorship, program: pair.program,
                                       subject: subject, recipient: recipient, conditionBegan: began))
            }
        }

        let settled = facts.settled
        let resolved = facts.sessions.resolved(asOf: asOf)
        // Held sessions, the last settled ones first.
        let held = (settled.recentHeld.map(\.resolved) + resolved.filter(\.held)).sorted(by: ResolvedSession.precedes)

        // firstSessionOverdue: no session held by asOf, 10 unpaused days after the start.
        // noRecentSession: max(14, 1.5 × cadence) unpaused days since the last held session. With
        // no held session it never applies: its threshold (≥ 14 days) is longer than the first
        // session's (10 days), so the first-session nudge already covers that mentorship.
        if let last = held.last {
            emit(.noRecentSession, pair.mentorship, both,
                 began: clock.instant(after: last.at, activeMicros: noSessionMicros(cadenceDays: pair.cadenceDays)))
        } else {
            emit(.firstSessionOverdue, pair.mentorship, both, began: clock.instant(after: pair.startedAt, activeMicros: firstSessionMicros))
        }

        // taskOverdue: an open task past its due time; to the assignee, subject the task; began at due.
        for (id, task) in facts.tasks where task.isAssigned(asOf: asOf) && !task.isCompleted(asOf: asOf)
            && !task.isCancelled(asOf: asOf) && task.due < asOf {
            emit(.taskOverdue, id, [.participant(task.assignee)], began: task.due)
        }

        // goalDeadlineAtRisk: an open goal whose deadline is within 7 days (or passed) and which
        // is not on track (Progress's formulas); to the owner, subject the goal.
        for (id, goal) in facts.goals {
            if let began = goalAtRiskSince(goal, id: id, mentorship: pair.mentorship, tasks: facts.tasks, asOf: asOf) {
                emit(.goalDeadlineAtRisk, id, [.participant(goal.owner)], began: began)
            }
        }

        // feedbackMissing: the latest held session, with no feedback from either side, 48 unpaused
        // hours after it was held; to both, subject the session. A later session supersedes an
        // earlier one (its feedback window has passed), so reminders do not pile up.
        if let session = held.max(by: { $0.at != $1.at ? $0.at < $1.at : $0.session.precedes($1.session) }) {
            let answered = facts.sessions.feedback.contains { $0.session == session.session && $0.at <= asOf }
                || settled.recentHeld.contains { $0.session == session.session && $0.answered }
            if !answered {
                emit(.feedbackMissing, session.session, both,
                     began: clock.instant(after: session.at, activeMicros: feedbackMicros))
            }
        }

        // noShowStreak: the pair's last 2 (or more) resolved sessions were no-shows (by anyone);
        // began at the second no-show of the current run. To the admins, subject the mentorship.
        var run: [ResolvedSession] = []
        for session in settled.pairStreak.resolved(mentorship: pair.mentorship, then: resolved) {
            if session.held { run.removeAll() } else { run.append(session) }
        }
        if run.count >= noShowStreak {
            emit(.noShowStreak, pair.mentorship, [admins], began: run[noShowStreak - 1].at)
        }

        // lowRating: feedback rated ≤ 2; to the admins, subject the feedback's session, else the
        // mentorship; began at the latest such feedback for that subject.
        var lowRatings: [UUID: Timestamp] = [:]
        for (subject, began) in settled.lowRatings { lowRatings[subject] = began }
        for feedback in facts.sessions.feedback where feedback.at <= asOf && feedback.rating <= lowRating {
            let subject = feedback.session ?? pair.mentorship
            if let known = lowRatings[subject], known >= feedback.at { continue }
            lowRatings[subject] = feedback.at
        }
        for (subject, began) in lowRatings { emit(.lowRating, subject, [admins], began: began) }

        // inactive: 90 unpaused days since the last activity (any event but NudgeSent); to the
        // admins (suggest closing), subject the mentorship.
        if let last = facts.lastActivity {
            emit(.inactive, pair.mentorship, [admins], began: clock.instant(after: last, activeMicros: inactiveMicros))
        }
    }

    /// A NudgeSent for the same rule and subject — and the same participant, or any recipient for
    /// a program-admins nudge — at or after `began` (and at or before asOf) answers the nudge.
    static func alreadySent(_ sent: [TrackedNudge], _ rule: NudgeRule, _ subject: UUID, _ recipient: NudgeRecipient,
                            since began: Timestamp, asOf: Timestamp) -> Bool {
        sent.contains { nudge in
            guard nudge.rule == rule.rawValue, nudge.subject == subject, nudge.at >= began, nudge.at <= asOf else { return false }
            if let participant = recipient.participant { return nudge.recipient == participant }
            return true
        }
    }

    /// When the current episode of "open, deadline within 7 days (or passed) and not on track"
    /// began, if the goal is in one at asOf.
    ///
    /// The goal's inputs (target, deadline, latest measurement, linked tasks) change only at its
    /// events; between two of them progress is constant and expected % grows with time, so the
    /// condition holds from max(segment start, the moment expected exceeds progress + 10, deadline
    /// − 7 days) to the segment's end. Walking the segments in time order gives the start of the
    /// current unbroken run. Whether the condition holds at asOf is decided by the Progress
    /// formulas themselves.
    static func goalAtRiskSince(_ goal: TrackedGoal, id: UUID, mentorship: UUID, tasks: IDTable<TrackedTask>,
                                asOf: Timestamp) -> Timestamp? {
        guard let now = ProgressFormulas.evaluate(goal, id: id, mentorship: mentorship, tasks: tasks, asOf: asOf),
              now.status.isOpen, !now.onTrack,
              now.deadline.microsecondsSinceEpoch - asOf.microsecondsSinceEpoch <= goalWindowMicros else { return nil }
        var points: [Timestamp] = [goal.setAt]
        points += goal.revisions.map(\.at)
        points += goal.measurements.map(\.at)
        for taskID in goal.tasks {
            guard let task = tasks[taskID] else { continue }
            points.append(task.assignedAt)
            if let t = task.completedAt { points.append(t) }
            if let t = task.cancelledAt { points.append(t) }
        }
        let changes = Array(Set(points.filter { $0 <= asOf && $0 >= goal.setAt })).sorted()
        var start: Timestamp?
        for (index, segmentStart) in changes.enumerated() {
            let isLast = index == changes.count - 1
            let segmentEnd = isLast ? asOf : changes[index + 1]
            guard let g = ProgressFormulas.evaluate(goal, id: id, mentorship: mentorship, tasks: tasks, asOf: segmentStart),
                  g.status.isOpen else { start = nil; continue }
            let from = Swift.max(segmentStart.microsecondsSinceEpoch, offTrackFrom(g),
                                 g.deadline.microsecondsSinceEpoch - goalWindowMicros)
            let endsTrue = isLast ? from <= segmentEnd.microsecondsSinceEpoch : from < segmentEnd.microsecondsSinceEpoch
            guard endsTrue else { start = nil; continue }
            if from > segmentStart.microsecondsSinceEpoch || start == nil { start = Timestamp(microsecondsSinceEpoch: from) }
        }
        return start ?? asOf
    }

    /// The first microsecond at which an open goal with these inputs is off track: expected %
    /// > progress + 10, i.e. elapsed > span × (progress + 10) / 100; never when progress ≥ 90.
    static func offTrackFrom(_ g: GoalProgress) -> Int64 {
        let limit = g.progressPercent + ProgressFormulas.onTrackTolerancePoints
        guard limit < 100 else { return .max }
        let setAt = g.setAt.microsecondsSinceEpoch
        let span = g.deadline.microsecondsSinceEpoch - setAt
        guard span > 0 else { return setAt }
        return setAt + Int64((Double(span) * limit / 100).rounded(.down)) + 1
    }
}
