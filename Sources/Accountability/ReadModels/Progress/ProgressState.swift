public import EventLedger
import Foundation

/// The facts the Progress read model folds: per mentorship stream, the pair, its goals (as set,
/// with revisions, measurements and closing, all with occurred-at times) and its tasks.
///
/// `apply` only appends each event's fact to its column (lifecycle, goals, tasks), tagged with
/// its stream, so folding an event reads no per-mentorship memory; ``report(asOf:)`` gathers
/// each mentorship's facts and computes the metrics. Stored in checkpoints as JSON.
public struct ProgressState: Sendable, Hashable, Codable {
    /// The mentorships, by stream key.
    var mentorships = MentorshipSlots()
    /// Lifecycle events (column 0), in log order.
    var lifecycle = FactColumn<LifecycleFact>()
    /// Goal events and task links (column 1), in log order.
    var goals = FactColumn<GoalFact>()
    /// Task events (column 2), in log order.
    var tasks = FactColumn<TaskFact>()

    /// No facts.
    public init() {}

    /// Folds one event of the stream `stream`. Events of a stream with no MentorshipStarted
    /// (before it) are left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        switch event {
        case .mentorshipStarted(let start):
            mentorships.start(TrackedPair(start, at: time), stream: stream, marks: [lifecycle.count, goals.count, tasks.count])
        case .mentorshipPaused, .mentorshipResumed, .mentorshipEnded:
            if let fact = LifecycleFact(event, stream: stream, at: time) { lifecycle.append(fact) }
        case .goalSet, .goalRevised, .goalProgressRecorded, .goalAchieved, .goalAbandoned:
            if let fact = GoalFact(event, stream: stream, at: time, position: position) { goals.append(fact) }
        case .taskAssigned:
            if let fact = TaskFact(event, stream: stream, at: time) { tasks.append(fact) }
            if let fact = GoalFact(event, stream: stream, at: time, position: position) { goals.append(fact) }
        case .taskCompleted, .taskCancelled:
            if let fact = TaskFact(event, stream: stream, at: time) { tasks.append(fact) }
        default:
            break
        }
    }

    /// Calls `body` with the facts of every mentorship (live slots, in slot order) started at or
    /// before `asOf`.
    func forEachMentorship(startedBy asOf: Timestamp, _ body: (ProgressMentorshipFacts) -> Void) {
        let lifecycleGroups = SlotGroups(lifecycle, column: 0, of: mentorships)
        let goalGroups = SlotGroups(goals, column: 1, of: mentorships)
        let taskGroups = SlotGroups(tasks, column: 2, of: mentorships)
        for slot in mentorships.liveSlots where mentorships.pairs[slot].isStarted(asOf: asOf) {
            var facts = ProgressMentorshipFacts(pair: mentorships.pairs[slot])
            for i in lifecycleGroups[slot] { facts.pair.record(lifecycle[i]) }
            for i in goalGroups[slot] { facts.goals.record(goals[i]) }
            for i in taskGroups[slot] { facts.tasks.record(tasks[i]) }
            body(facts)
        }
    }

    /// The Progress report as of `asOf`: only facts that occurred at or before `asOf` count.
    public func report(asOf: Timestamp) -> ProgressReport {
        var goals: [GoalProgress] = []
        var byMentorship: [UUID: MentorshipProgress] = [:]
        var byParticipant: [UUID: GoalRollup] = [:]
        var byProgram: [UUID: GoalRollup] = [:]
        var programOf: [UUID: UUID] = [:]
        forEachMentorship(startedBy: asOf) { facts in
            let pair = facts.pair
            if byParticipant[pair.mentee] == nil { byParticipant[pair.mentee] = GoalRollup() }
            if byProgram[pair.program] == nil { byProgram[pair.program] = GoalRollup() }
            byMentorship[pair.mentorship] = MentorshipProgress(
                mentorship: pair.mentorship, program: pair.program, mentor: pair.mentor, mentee: pair.mentee,
                ended: pair.isEnded(asOf: asOf), goals: GoalRollup())
            for (id, goal) in facts.goals {
                guard let progress = ProgressFormulas.evaluate(goal, id: id, mentorship: pair.mentorship,
                                                               tasks: facts.tasks, asOf: asOf) else { continue }
                goals.append(progress)
                programOf[pair.mentorship] = pair.program
            }
        }
        // Sorted first, so that sums of doubles are added in the same order on every run.
        goals.sort { a, b in
            a.goal != b.goal ? a.goal.uuidString < b.goal.uuidString : a.mentorship.uuidString < b.mentorship.uuidString
        }
        var overall = GoalRollup()
        for progress in goals {
            byMentorship[progress.mentorship]?.goals.add(progress, asOf: asOf)
            byParticipant[progress.owner, default: GoalRollup()].add(progress, asOf: asOf)
            if let program = programOf[progress.mentorship] { byProgram[program, default: GoalRollup()].add(progress, asOf: asOf) }
            overall.add(progress, asOf: asOf)
        }
        return ProgressReport(asOf: asOf, goals: goals, mentorships: byMentorship, participants: byParticipant,
                              programs: byProgram, overall: overall)
    }
}

/// One mentorship's progress facts, gathered by a report.
struct ProgressMentorshipFacts: Sendable, Hashable {
    var pair: TrackedPair
    var goals = IDTable<TrackedGoal>()
    var tasks = IDTable<TrackedTask>()
}
