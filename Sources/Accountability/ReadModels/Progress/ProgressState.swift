public import EventLedger
import Foundation

/// The facts the Progress read model folds: per mentorship stream, the pair, its goals (as set,
/// with revisions, measurements and closing, all with occurred-at times) and its tasks.
///
/// Metrics are computed only by ``report(asOf:)``. Stored in checkpoints as JSON.
public struct ProgressState: Sendable, Hashable, Codable {
    /// Per mentorship stream key.
    var mentorships: [UInt64: ProgressMentorshipFacts] = [:]

    /// No facts.
    public init() {}

    /// Folds one event of the stream `stream`.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        if case .mentorshipStarted(let start) = event {
            mentorships[stream] = ProgressMentorshipFacts(pair: TrackedPair(start, at: time))
            return
        }
        guard mentorships[stream] != nil else { return }
        switch event {
        case .mentorshipPaused, .mentorshipResumed, .mentorshipEnded:
            mentorships[stream]?.pair.record(event, at: time)
        case .goalSet, .goalRevised, .goalProgressRecorded, .goalAchieved, .goalAbandoned:
            mentorships[stream]?.goals.record(event, at: time, position: position)
        case .taskAssigned:
            mentorships[stream]?.tasks.record(event, at: time)
            mentorships[stream]?.goals.record(event, at: time, position: position)
        case .taskCompleted, .taskCancelled:
            mentorships[stream]?.tasks.record(event, at: time)
        default:
            break
        }
    }

    /// The Progress report as of `asOf`: only facts that occurred at or before `asOf` count.
    public func report(asOf: Timestamp) -> ProgressReport {
        var goals: [GoalProgress] = []
        var byMentorship: [UUID: MentorshipProgress] = [:]
        var byParticipant: [UUID: GoalRollup] = [:]
        var byProgram: [UUID: GoalRollup] = [:]
        var programOf: [UUID: UUID] = [:]
        for facts in mentorships.values where facts.pair.isStarted(asOf: asOf) {
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

/// One mentorship's progress facts.
struct ProgressMentorshipFacts: Sendable, Hashable, Codable {
    var pair: TrackedPair
    var goals: [UUID: TrackedGoal] = [:]
    var tasks: [UUID: TrackedTask] = [:]
}
