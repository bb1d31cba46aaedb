import EventLedger
import Foundation

/// What a ``MentorshipRecord`` has settled: its facts older than ``horizon``, folded into the
/// counters the five models' formulas need at an asOf well after them (see ``RecordSettling``).
struct SettledHistory: Sendable, Hashable {
    /// Facts with an occurred-at before this are settled; `nil` while nothing is.
    var horizon: Timestamp?

    // Held sessions (one per SessionHeld): engagement and program health.
    /// SessionHeld events settled.
    var held = 0
    /// Their minutes.
    var minutes = 0
    /// The earliest and latest settled held time.
    var firstHeldAt: Timestamp?
    var lastHeldAt: Timestamp?
    /// Distinct cadence periods with a settled held session, and the highest such period.
    var periodsWithSession = 0
    var lastPeriod: Int?
    /// Settled held sessions with session-linked feedback.
    var heldWithFeedback = 0
    /// Per side: settled held sessions attended, their minutes, the latest one's time.
    var mentorAttended = 0, mentorMinutes = 0, menteeAttended = 0, menteeMinutes = 0
    var mentorLastAttendedAt: Timestamp?, menteeLastAttendedAt: Timestamp?

    // Resolved sessions (one per session id): commitment and nudges.
    /// Pair-level held (resolved held) and no-shows.
    var pairHeld = 0
    var pairNoShows = 0
    /// Per side: held sessions attended, no-shows by them.
    var mentorHeld = 0, menteeHeld = 0, mentorNoShows = 0, menteeNoShows = 0
    /// Cancellations with < 24 h notice by the session's scheduled-for (commitment).
    var pairShortNotice = 0, mentorShortNotice = 0, menteeShortNotice = 0
    /// The streaks' settled ends.
    var pairStreak = SettledStreak(), mentorStreak = SettledStreak(), menteeStreak = SettledStreak()
    /// The last three settled held sessions, ascending.
    var recentHeld: [SettledHeldSession] = []

    // Program health's own session counts.
    /// SessionMissed events settled.
    var healthNoShows = 0
    /// Cancellations with < 24 h notice by the open schedule (program health).
    var healthShortNotice = 0

    // Feedback.
    /// Settled feedback from the mentor, from the mentee.
    var mentorFeedback = 0, menteeFeedback = 0
    /// Settled ratings (every FeedbackGiven).
    var ratingCount = 0, ratingSum = 0
    /// Low ratings (≤ 2) not yet answered by a NudgeSent: subject → latest such feedback's time.
    var lowRatings = IDTable<Timestamp>()

    // Goals and tasks.
    /// Goals settled with their final Progress entry, in the order they settled.
    var goals = IDTable<SettledGoal>()
    /// Settled tasks, cancelled ones excluded (each was due before the horizon): the pair's and
    /// each side's, and of those completed by their due time.
    var taskDue = 0, taskOnTime = 0, mentorTaskDue = 0, mentorTaskOnTime = 0, menteeTaskDue = 0, menteeTaskOnTime = 0

    // Nudges and activity.
    /// The latest settled NudgeSent per (rule, subject, recipient) still able to answer a nudge.
    var sent: [TrackedNudge] = []
    /// The latest settled activity time.
    var lastActivity: Timestamp?

    /// No fact settled.
    init() {}

    /// Keeps `session` among the last three settled held sessions if it is one of them.
    mutating func noteHeld(_ session: SettledHeldSession) {
        let index = recentHeld.firstIndex { session.key < $0.key } ?? recentHeld.count
        recentHeld.insert(session, at: index)
        if recentHeld.count > CommitmentFormulas.recentSessions { recentHeld.removeFirst(recentHeld.count - CommitmentFormulas.recentSessions) }
    }

    /// Folds one settled FeedbackGiven of the pair `pair`.
    mutating func settle(_ feedback: FeedbackFact, of pair: TrackedPair) {
        if feedback.from == pair.mentor { mentorFeedback += 1 } else if feedback.from == pair.mentee { menteeFeedback += 1 }
        ratingCount += 1
        ratingSum += feedback.rating
        if feedback.rating <= NudgeRules.lowRating {
            let subject = feedback.session ?? pair.mentorship
            if lowRatings[subject].map({ $0 < feedback.at }) ?? true { lowRatings.assign(feedback.at, to: subject) }
        }
        guard let session = feedback.session, let index = recentHeld.firstIndex(where: { $0.session == session }) else { return }
        if feedback.from == pair.mentor { recentHeld[index].mentorGave = true }
        if feedback.from == pair.mentee { recentHeld[index].menteeGave = true }
        if !recentHeld[index].answered {
            recentHeld[index].answered = true
            heldWithFeedback += 1
        }
    }

    /// Folds one settled task of the pair `pair`: closed, with every time before the horizon.
    mutating func settle(_ task: TrackedTask, of pair: TrackedPair) {
        guard task.cancelledAt == nil else { return }
        let onTime = task.completedAt.map { $0 <= task.due } ?? false
        taskDue += 1
        if onTime { taskOnTime += 1 }
        if task.assignee == pair.mentor {
            mentorTaskDue += 1
            if onTime { mentorTaskOnTime += 1 }
        } else if task.assignee == pair.mentee {
            menteeTaskDue += 1
            if onTime { menteeTaskOnTime += 1 }
        }
    }

    /// Folds one settled NudgeSent: kept as the latest of its (rule, subject, recipient).
    mutating func settle(_ nudge: TrackedNudge) {
        if let index = sent.firstIndex(where: { $0.rule == nudge.rule && $0.subject == nudge.subject && $0.recipient == nudge.recipient }) {
            if sent[index].at < nudge.at { sent[index] = nudge }
        } else {
            sent.append(nudge)
        }
    }

    /// Drops what can no longer answer or raise a nudge: low ratings answered by a settled
    /// NudgeSent at or after them (with those nudges); feedback-missing nudges about a session
    /// that is neither live (`isLive`) nor among the last settled held sessions; task-overdue
    /// nudges about a task that is not live (`isLiveTask`: settled, so closed) and
    /// deadline-at-risk nudges about a goal that is not live (`isLiveGoal`), which no later
    /// nudge of theirs can ask about.
    mutating func prune(mentorship: UUID, isLive: (UUID) -> Bool, isLiveTask: (UUID) -> Bool, isLiveGoal: (UUID) -> Bool) {
        let lowRating = NudgeRule.lowRating.rawValue, feedbackMissing = NudgeRule.feedbackMissing.rawValue
        let taskOverdue = NudgeRule.taskOverdue.rawValue, goalAtRisk = NudgeRule.goalDeadlineAtRisk.rawValue
        var answered: [UUID] = []
        for (subject, began) in lowRatings
        where sent.contains(where: { $0.rule == lowRating && $0.subject == subject && $0.at >= began }) {
            answered.append(subject)
        }
        for subject in answered { lowRatings.remove(subject) }
        let recent = Set(recentHeld.map(\.session))
        sent.removeAll { nudge in
            if nudge.rule == feedbackMissing { return !isLive(nudge.subject) && !recent.contains(nudge.subject) }
            if nudge.rule == taskOverdue { return !isLiveTask(nudge.subject) }
            if nudge.rule == goalAtRisk { return !isLiveGoal(nudge.subject) }
            if nudge.rule == lowRating {
                return nudge.subject != mentorship && lowRatings[nudge.subject] == nil && !isLive(nudge.subject)
            }
            return false
        }
    }
}
