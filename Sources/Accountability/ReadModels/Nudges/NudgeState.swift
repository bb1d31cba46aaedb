public import EventLedger
import Foundation

/// The facts the Nudges read model folds: per mentorship stream, the pair (with pauses and end),
/// goals, tasks, sessions, feedback and every NudgeSent. Every event but NudgeSent is activity:
/// its occurred-at is in one of these columns (or is the start).
///
/// `apply` only appends each event's fact to its column, tagged with its stream, so folding an
/// event reads no per-mentorship memory; due nudges are computed only by ``report(asOf:)``,
/// which gathers each mentorship's facts. Stored in checkpoints as JSON.
public struct NudgeState: Sendable, Hashable, Codable {
    /// The mentorships, by stream key.
    var mentorships = MentorshipSlots()
    /// Lifecycle events (column 0), in log order.
    var lifecycle = FactColumn<LifecycleFact>()
    /// Goal events and task links (column 1), in log order.
    var goals = FactColumn<GoalFact>()
    /// Task events (column 2), in log order.
    var tasks = FactColumn<TaskFact>()
    /// Session events (column 3), in log order.
    var sessions = FactColumn<SessionFact>()
    /// FeedbackGiven events (column 4), in log order.
    var feedback = FactColumn<FeedbackFact>()
    /// NudgeSent events (column 5), in log order.
    var sent = FactColumn<NudgeSentFact>()

    /// No facts.
    public init() {}

    /// Folds one event of the stream `stream`. Events of a stream with no MentorshipStarted
    /// (before it) are left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        switch event {
        case .nudgeSent(let e):
            sent.append(NudgeSentFact(stream: stream, nudge: TrackedNudge(rule: e.rule.rawValue, subject: e.subject, recipient: e.recipient, at: time)))
        case .mentorshipStarted(let start):
            mentorships.start(TrackedPair(start, at: time), stream: stream,
                              marks: [lifecycle.count, goals.count, tasks.count, sessions.count, feedback.count, sent.count])
        case .mentorshipPaused, .mentorshipResumed, .mentorshipEnded:
            if let fact = LifecycleFact(event, stream: stream, at: time) { lifecycle.append(fact) }
        case .goalSet, .goalRevised, .goalProgressRecorded, .goalAchieved, .goalAbandoned:
            if let fact = GoalFact(event, stream: stream, at: time, position: position) { goals.append(fact) }
        case .taskAssigned:
            if let fact = TaskFact(event, stream: stream, at: time) { tasks.append(fact) }
            if let fact = GoalFact(event, stream: stream, at: time, position: position) { goals.append(fact) }
        case .taskCompleted, .taskCancelled:
            if let fact = TaskFact(event, stream: stream, at: time) { tasks.append(fact) }
        case .sessionScheduled, .sessionHeld, .sessionMissed, .sessionCancelled:
            if let fact = SessionFact(event, stream: stream, at: time, position: position) { sessions.append(fact) }
        case .feedbackGiven(let e):
            feedback.append(FeedbackFact(e, stream: stream, at: time))
        }
    }

    /// Calls `body` with the facts of every mentorship (live slots, in slot order), with its
    /// latest activity at or before `asOf`.
    func forEachMentorship(asOf: Timestamp, _ body: (NudgeMentorshipFacts) -> Void) {
        let lifecycleGroups = SlotGroups(lifecycle, column: 0, of: mentorships)
        let goalGroups = SlotGroups(goals, column: 1, of: mentorships)
        let taskGroups = SlotGroups(tasks, column: 2, of: mentorships)
        let sessionGroups = SlotGroups(sessions, column: 3, of: mentorships)
        let feedbackGroups = SlotGroups(feedback, column: 4, of: mentorships)
        let sentGroups = SlotGroups(sent, column: 5, of: mentorships)
        for slot in mentorships.liveSlots {
            var pair = mentorships.pairs[slot]
            var activity = ActivityClock(asOf: asOf)
            activity.saw(pair.startedAt)
            for i in lifecycleGroups[slot] { pair.record(lifecycle[i]); activity.saw(lifecycle[i].at) }
            var facts = NudgeMentorshipFacts(pair: pair)
            for i in goalGroups[slot] { facts.goals.record(goals[i]); activity.saw(goals[i].at) }
            for i in taskGroups[slot] { facts.tasks.record(tasks[i]); activity.saw(tasks[i].at) }
            for i in sessionGroups[slot] { facts.sessions.record(sessions[i], of: pair); activity.saw(sessions[i].at) }
            for i in feedbackGroups[slot] { facts.sessions.record(feedback[i]); activity.saw(feedback[i].at) }
            for i in sentGroups[slot] { facts.sent.append(sent[i].nudge) }
            facts.lastActivity = activity.latest
            body(facts)
        }
    }

    /// The nudges due as of `asOf`: only facts that occurred at or before `asOf` count.
    public func report(asOf: Timestamp) -> NudgeReport {
        var nudges: [DueNudge] = []
        forEachMentorship(asOf: asOf) { facts in
            NudgeRules.due(facts, asOf: asOf, into: &nudges)
        }
        nudges.sort(by: DueNudge.precedes)
        return NudgeReport(asOf: asOf, nudges: nudges)
    }
}

/// One mentorship's nudge facts, gathered by a report as of some asOf.
struct NudgeMentorshipFacts: Sendable, Hashable {
    var pair: TrackedPair
    var goals = IDTable<TrackedGoal>()
    var tasks = IDTable<TrackedTask>()
    var sessions = TrackedSessions()
    /// The latest activity (occurred-at of any event but NudgeSent) at or before the asOf.
    var lastActivity: Timestamp?
    /// Every NudgeSent, in log order.
    var sent: [TrackedNudge] = []

    init(pair: TrackedPair) {
        self.pair = pair
    }
}
