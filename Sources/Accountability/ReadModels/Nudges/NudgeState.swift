public import EventLedger
import Foundation

/// The facts the Nudges read model folds: per mentorship stream, the pair (with pauses and end),
/// goals, tasks, sessions, feedback, the occurred-at of every activity and every NudgeSent.
///
/// Due nudges are computed only by ``report(asOf:)``. Stored in checkpoints as JSON.
public struct NudgeState: Sendable, Hashable, Codable {
    /// Per mentorship stream key.
    var mentorships: [UInt64: NudgeMentorshipFacts] = [:]

    /// No facts.
    public init() {}

    /// Folds one event of the stream `stream`.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        if case .mentorshipStarted(let start) = event {
            mentorships[stream] = NudgeMentorshipFacts(pair: TrackedPair(start, at: time), activity: [time])
            return
        }
        guard mentorships[stream] != nil else { return }
        switch event {
        case .nudgeSent(let e):
            mentorships[stream]?.sent.append(TrackedNudge(rule: e.rule.rawValue, subject: e.subject, recipient: e.recipient, at: time))
            return // not activity
        case .mentorshipPaused, .mentorshipResumed, .mentorshipEnded:
            mentorships[stream]?.pair.record(event, at: time)
        case .goalSet, .goalRevised, .goalProgressRecorded, .goalAchieved, .goalAbandoned:
            mentorships[stream]?.goals.record(event, at: time, position: position)
        case .taskAssigned:
            mentorships[stream]?.tasks.record(event, at: time)
            mentorships[stream]?.goals.record(event, at: time, position: position)
        case .taskCompleted, .taskCancelled:
            mentorships[stream]?.tasks.record(event, at: time)
        case .sessionScheduled, .sessionHeld, .sessionMissed, .sessionCancelled, .feedbackGiven:
            mentorships[stream]?.sessions.record(event, at: time, position: position)
        case .mentorshipStarted:
            break
        }
        mentorships[stream]?.recordActivity(at: time)
    }

    /// The nudges due as of `asOf`: only facts that occurred at or before `asOf` count.
    public func report(asOf: Timestamp) -> NudgeReport {
        var nudges: [DueNudge] = []
        for facts in mentorships.values {
            NudgeRules.due(facts, asOf: asOf, into: &nudges)
        }
        nudges.sort(by: DueNudge.precedes)
        return NudgeReport(asOf: asOf, nudges: nudges)
    }
}

/// One mentorship's nudge facts.
struct NudgeMentorshipFacts: Sendable, Hashable, Codable {
    var pair: TrackedPair
    var goals: [UUID: TrackedGoal] = [:]
    var tasks: [UUID: TrackedTask] = [:]
    var sessions = TrackedSessions()
    /// Occurred-at of every event but NudgeSent, sorted.
    var activity: [Timestamp]
    /// Every NudgeSent, in log order.
    var sent: [TrackedNudge] = []

    init(pair: TrackedPair, activity: [Timestamp]) {
        self.pair = pair
        self.activity = activity
    }

    /// Keeps ``activity`` sorted (events usually arrive in occurred-at order: append).
    mutating func recordActivity(at time: Timestamp) {
        if let last = activity.last, time < last {
            let index = activity.firstIndex { $0 > time } ?? activity.count
            activity.insert(time, at: index)
        } else {
            activity.append(time)
        }
    }

    /// The latest activity at or before `asOf`.
    func lastActivity(asOf: Timestamp) -> Timestamp? {
        activity.last { $0 <= asOf }
    }
}

/// A NudgeSent.
struct TrackedNudge: Sendable, Hashable, Codable {
    var rule: UInt8
    var subject: UUID
    var recipient: UUID
    var at: Timestamp
}
