import EventLedger
import Foundation

// Facts shared by the read models. Each is what happened, with the occurred-at time of the event
// that said so (never a metric): reports filter them by asOf.

/// A mentorship's identity and lifecycle, learned from MentorshipStarted (revision 0 of its
/// stream), MentorshipPaused / MentorshipResumed and MentorshipEnded (folded in as they come, by
/// ``MentorshipRecord/apply(_:at:position:)``).
struct TrackedPair: Sendable, Hashable {
    var mentorship: UUID
    var mentor: UUID
    var mentee: UUID
    var program: UUID
    var cadenceDays: Int
    var startedAt: Timestamp
    var endedAt: Timestamp?
    /// Pauses in log order: `[pausedAt, resumedAt)`; `resumedAt` nil while still paused in the log.
    var pauses: [TrackedPause] = []

    init(_ start: MentorshipStarted, at time: Timestamp) {
        mentorship = start.mentorship
        mentor = start.mentor
        mentee = start.mentee
        program = start.program
        cadenceDays = start.cadenceDays
        startedAt = time
    }

    /// Folds a lifecycle fact: a pause opens, a resume closes the latest open pause (none open:
    /// nothing), an end sets the end (the latest one counts).
    mutating func record(_ fact: LifecycleFact) {
        switch fact.change {
        case .paused:
            pauses.append(TrackedPause(pausedAt: fact.at))
        case .resumed:
            if let index = pauses.lastIndex(where: { $0.resumedAt == nil }) { pauses[index].resumedAt = fact.at }
        case .ended:
            endedAt = fact.at
        }
    }

    /// Started at or before `asOf`.
    func isStarted(asOf: Timestamp) -> Bool { startedAt <= asOf }
    /// Ended at or before `asOf`.
    func isEnded(asOf: Timestamp) -> Bool { endedAt.map { $0 <= asOf } ?? false }
    /// Paused at `asOf`: a pause began at or before `asOf` and was not resumed by then.
    func isPaused(asOf: Timestamp) -> Bool {
        pauses.contains { $0.pausedAt <= asOf && ($0.resumedAt.map { $0 > asOf } ?? true) }
    }

    /// Whether `person` is this pair's mentor or mentee.
    func isParticipant(_ person: UUID) -> Bool { person == mentor || person == mentee }
}

/// One pause of a mentorship (occurred-at times).
struct TrackedPause: Sendable, Hashable {
    var pausedAt: Timestamp
    var resumedAt: Timestamp?
}
