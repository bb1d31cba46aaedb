public import EventLedger
import Foundation

/// The facts the Commitment read model folds: per mentorship stream, the pair, its sessions
/// (scheduled, held with attendees, missed with the absent party, cancelled with who and when),
/// its tasks and its feedback, all with occurred-at times.
///
/// Metrics are computed only by ``report(asOf:)``. Stored in checkpoints as JSON.
public struct CommitmentState: Sendable, Hashable, Codable {
    /// Per mentorship stream key.
    var mentorships: [UInt64: CommitmentMentorshipFacts] = [:]

    /// No facts.
    public init() {}

    /// Folds one event of the stream `stream`.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        if case .mentorshipStarted(let start) = event {
            mentorships[stream] = CommitmentMentorshipFacts(pair: TrackedPair(start, at: time))
            return
        }
        guard mentorships[stream] != nil else { return }
        switch event {
        case .mentorshipPaused, .mentorshipResumed, .mentorshipEnded:
            mentorships[stream]?.pair.record(event, at: time)
        case .sessionScheduled, .sessionHeld, .sessionMissed, .sessionCancelled, .feedbackGiven:
            mentorships[stream]?.sessions.record(event, at: time, position: position)
        case .taskAssigned, .taskCompleted, .taskCancelled:
            mentorships[stream]?.tasks.record(event, at: time)
        default:
            break
        }
    }

    /// The Commitment report as of `asOf`: only facts that occurred at or before `asOf` count.
    public func report(asOf: Timestamp) -> CommitmentReport {
        var byMentorship: [UUID: MentorshipCommitment] = [:]
        var people: [UUID: CommitmentFormulas.Tally] = [:]
        for facts in mentorships.values where facts.pair.isStarted(asOf: asOf) {
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

/// One mentorship's commitment facts.
struct CommitmentMentorshipFacts: Sendable, Hashable, Codable {
    var pair: TrackedPair
    var sessions = TrackedSessions()
    var tasks: [UUID: TrackedTask] = [:]
}
