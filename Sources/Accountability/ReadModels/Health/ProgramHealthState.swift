public import EventLedger
public import Foundation

/// The state the program-health read model folds: one ``MentorshipRecord`` per mentorship
/// stream (the pair, its program, start, pauses, end, held sessions, no-shows, cancellations
/// with the notice given, and ratings), folded as the events come. No metric is stored;
/// ``report(asOf:)`` derives them all, reading each mentorship's ``PairHealthFacts`` from its
/// record. Every time is the event's occurred-at (domain time). Stored in checkpoints as each
/// record's binary row (``MentorshipRecords``).
public struct ProgramHealthState: Sendable, Hashable, Codable {
    /// The mentorships' records, by stream key.
    public private(set) var records = MentorshipRecords()

    /// The state before any event.
    public init() {}

    /// Facts per mentorship, keyed by the stream's key (``EventRecord/streamKey``).
    public var pairs: [UInt64: PairHealthFacts] {
        var result: [UInt64: PairHealthFacts] = [:]
        result.reserveCapacity(records.count)
        for (stream, record) in records.byStream { result[stream] = PairHealthFacts(record: record) }
        return result
    }

    /// Folds one event of the stream `stream`. Events of a stream with no MentorshipStarted
    /// (before them) are left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        records.apply(event, stream: stream, at: time, position: position)
    }

    /// Program health as of `asOf`: only facts whose occurred-at is at or before `asOf` count;
    /// a mentorship that started after `asOf` is not reported.
    public func report(asOf: Timestamp) -> ProgramHealthReport {
        ProgramHealthReport(state: self, asOf: asOf)
    }
}

/// What the program-health model knows about one mentorship.
public struct PairHealthFacts: Sendable, Hashable, Codable {
    /// The mentorship's id.
    public var mentorship: UUID
    /// Its program.
    public var program: UUID
    /// The mentor.
    public var mentor: UUID
    /// The mentee.
    public var mentee: UUID
    /// Occurred-at of MentorshipStarted.
    public var startedAt: Timestamp
    /// Occurred-at of MentorshipEnded, once ended.
    public var endedAt: Timestamp?
    /// Pauses, in log order.
    public var pauses: [MentorshipPauseFact]
    /// Occurred-at of every SessionHeld.
    public var heldAt: [Timestamp]
    /// Occurred-at of every SessionMissed (a no-show by anyone counts once).
    public var noShowAt: [Timestamp]
    /// Every SessionCancelled, with its notice.
    public var cancellations: [HealthCancellationFact]
    /// Every FeedbackGiven rating (session-linked or not).
    public var ratings: [HealthRatingFact]
    /// Sessions scheduled and not yet resolved: id → scheduled-for (to derive a cancellation's
    /// notice). Removed once held, cancelled or missed.
    public var openScheduled: [UUID: Timestamp]
    /// Facts settled into counters (none unless the record settles).
    public var settled = SettledHealth()

    /// Facts of a mentorship that just started.
    public init(_ start: MentorshipStarted, startedAt: Timestamp) {
        mentorship = start.mentorship
        program = start.program
        mentor = start.mentor
        mentee = start.mentee
        self.startedAt = startedAt
        endedAt = nil
        pauses = []
        heldAt = []
        noShowAt = []
        cancellations = []
        ratings = []
        openScheduled = [:]
    }

    /// The facts of a mentorship as the shared fold tracked its start and lifecycle.
    init(_ pair: TrackedPair) {
        mentorship = pair.mentorship
        program = pair.program
        mentor = pair.mentor
        mentee = pair.mentee
        startedAt = pair.startedAt
        endedAt = pair.endedAt
        pauses = pair.pauses.map { MentorshipPauseFact(pausedAt: $0.pausedAt, resumedAt: $0.resumedAt) }
        heldAt = []
        noShowAt = []
        cancellations = []
        ratings = []
        openScheduled = [:]
    }

    /// The facts of the mentorship whose record is `record`: it can be evaluated on its own
    /// (``PairHealth/init(_:asOf:)``). Held times are those of the record's held sessions and
    /// ratings those of its feedback (each kept once in the record), both in log order.
    public init(record: MentorshipRecord) {
        self.init(record.pair)
        heldAt = record.heldSessions.map(\.heldAt)
        noShowAt = record.health.noShowAt
        cancellations = record.health.cancellations
        ratings = record.sessions.feedback.map { HealthRatingFact(at: $0.at, rating: $0.rating) }
        openScheduled.reserveCapacity(record.health.openScheduled.count)
        for (session, scheduledFor) in record.health.openScheduled { openScheduled[session] = scheduledFor }
        settled = SettledHealth(record.settled)
    }
}

/// One SessionCancelled.
public struct HealthCancellationFact: Sendable, Hashable, Codable {
    /// When it was cancelled (occurred-at).
    public var at: Timestamp
    /// Notice given in microseconds: scheduled-for − cancelled-at; `nil` when the session's
    /// schedule is unknown (never in a log that obeys ``MentorshipRules``).
    public var noticeMicros: Int64?

    /// Creates the fact.
    public init(at: Timestamp, noticeMicros: Int64?) {
        self.at = at
        self.noticeMicros = noticeMicros
    }
}

/// One FeedbackGiven rating.
public struct HealthRatingFact: Sendable, Hashable, Codable {
    /// When it was given (occurred-at).
    public var at: Timestamp
    /// 1…5.
    public var rating: Int

    /// Creates the fact.
    public init(at: Timestamp, rating: Int) {
        self.at = at
        self.rating = rating
    }
}
