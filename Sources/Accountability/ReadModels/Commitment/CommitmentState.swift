public import EventLedger
import Foundation

/// The facts the Commitment read model folds: per mentorship stream, the pair, its sessions
/// (scheduled, held with attendees, missed with the absent party, cancelled with who and when),
/// its tasks and its feedback, all with occurred-at times.
///
/// `apply` only appends each event's fact to its column (lifecycle, sessions, feedback, tasks),
/// tagged with its stream, so folding an event reads no per-mentorship memory;
/// ``report(asOf:)`` gathers each mentorship's facts and computes the metrics. Stored in
/// checkpoints as JSON.
public struct CommitmentState: Sendable, Hashable, Codable {
    /// The mentorships, by stream key.
    var mentorships = MentorshipSlots()
    /// Lifecycle events (column 0), in log order.
    var lifecycle = FactColumn<LifecycleFact>()
    /// Session events (column 1), in log order.
    var sessions = FactColumn<SessionFact>()
    /// FeedbackGiven events (column 2), in log order.
    var feedback = FactColumn<FeedbackFact>()
    /// Task events (column 3), in log order.
    var tasks = FactColumn<TaskFact>()

    /// No facts.
    public init() {}

    /// Folds one event of the stream `stream`. Events of a stream with no MentorshipStarted
    /// (before it) are left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        switch event {
        case .mentorshipStarted(let start):
            mentorships.start(TrackedPair(start, at: time), stream: stream,
                              marks: [lifecycle.count, sessions.count, feedback.count, tasks.count])
        case .mentorshipPaused, .mentorshipResumed, .mentorshipEnded:
            if let fact = LifecycleFact(event, stream: stream, at: time) { lifecycle.append(fact) }
        case .sessionScheduled, .sessionHeld, .sessionMissed, .sessionCancelled:
            if let fact = SessionFact(event, stream: stream, at: time, position: position) { sessions.append(fact) }
        case .feedbackGiven(let e):
            feedback.append(FeedbackFact(e, stream: stream, at: time))
        case .taskAssigned, .taskCompleted, .taskCancelled:
            if let fact = TaskFact(event, stream: stream, at: time) { tasks.append(fact) }
        default:
            break
        }
    }

    /// Calls `body` with the facts of every mentorship (live slots, in slot order) started at or
    /// before `asOf`.
    func forEachMentorship(startedBy asOf: Timestamp, _ body: (CommitmentMentorshipFacts) -> Void) {
        let lifecycleGroups = SlotGroups(lifecycle, column: 0, of: mentorships)
        let sessionGroups = SlotGroups(sessions, column: 1, of: mentorships)
        let feedbackGroups = SlotGroups(feedback, column: 2, of: mentorships)
        let taskGroups = SlotGroups(tasks, column: 3, of: mentorships)
        for slot in mentorships.liveSlots where mentorships.pairs[slot].isStarted(asOf: asOf) {
            var pair = mentorships.pairs[slot]
            for i in lifecycleGroups[slot] { pair.record(lifecycle[i]) }
            var facts = CommitmentMentorshipFacts(pair: pair)
            for i in sessionGroups[slot] { facts.sessions.record(sessions[i], of: pair) }
            for i in feedbackGroups[slot] { facts.sessions.record(feedback[i]) }
            for i in taskGroups[slot] { facts.tasks.record(tasks[i]) }
            body(facts)
        }
    }

    /// The Commitment report as of `asOf`: only facts that occurred at or before `asOf` count.
    public func report(asOf: Timestamp) -> CommitmentReport {
        var byMentorship: [UUID: MentorshipCommitment] = [:]
        var people: [UUID: CommitmentFormulas.Tally] = [:]
        forEachMentorship(startedBy: asOf) { facts in
            let evaluation = CommitmentFormulas.evaluate(facts, asOf: asOf)
            byMentorship[facts.pair.mentorship] = evaluation.mentorship
            people[facts.pair.mentor, default: CommitmentFormulas.Tally()].merge(evaluation.mentorTally)
            people[facts.pair.mentee, default: CommitmentFormulas.Tally()].merge(evaluation.menteeTally)
        }
        var participants: [UUID: ParticipantCommitment] = [:]
        for (person, tally) in people {
            participants[person] = tally.commitment(of: person, mentorship: nil, asOf: asOf)
        }
        return CommitmentReport(asOf: asOf, mentorships: byMentorship, participants: participants)
    }
}

/// One mentorship's commitment facts, gathered by a report.
struct CommitmentMentorshipFacts: Sendable, Hashable {
    var pair: TrackedPair
    var sessions = TrackedSessions()
    var tasks = IDTable<TrackedTask>()
}
