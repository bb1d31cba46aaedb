public import EventLedger
public import Foundation

/// The facts the program-health read model folds from the log: per mentorship stream, the pair,
/// its program, start, pauses, end, held sessions, no-shows, cancellations (with the notice
/// given) and ratings. No metric is stored; ``report(asOf:)`` derives them all.
///
/// `apply` only appends each event's fact to its column (lifecycle, sessions, feedback), tagged
/// with its stream, so folding an event reads no per-mentorship memory; a report gathers each
/// mentorship's ``PairHealthFacts``. Every time is the event's occurred-at (domain time).
public struct ProgramHealthState: Sendable, Hashable, Codable {
    /// The mentorships, by stream key.
    var slots = MentorshipSlots()
    /// Lifecycle events (column 0), in log order.
    var lifecycle = FactColumn<LifecycleFact>()
    /// Session events (column 1), in log order.
    var sessions = FactColumn<SessionFact>()
    /// FeedbackGiven events (column 2), in log order.
    var feedback = FactColumn<FeedbackFact>()

    /// The state before any event.
    public init() {}

    /// Facts per mentorship, keyed by the stream's key (``EventRecord/streamKey``).
    public var pairs: [UInt64: PairHealthFacts] {
        var result: [UInt64: PairHealthFacts] = [:]
        forEachPair { slot, facts in result[slots.streams[slot]] = facts }
        return result
    }

    /// Folds one event of the stream `stream`. Events of a stream with no MentorshipStarted
    /// (before them) are left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        switch event {
        case .mentorshipStarted(let start):
            slots.start(TrackedPair(start, at: time), stream: stream, marks: [lifecycle.count, sessions.count, feedback.count])
        case .mentorshipPaused, .mentorshipResumed, .mentorshipEnded:
            if let fact = LifecycleFact(event, stream: stream, at: time) { lifecycle.append(fact) }
        case .sessionScheduled, .sessionHeld, .sessionMissed, .sessionCancelled:
            if let fact = SessionFact(event, stream: stream, at: time, position: position) { sessions.append(fact) }
        case .feedbackGiven(let e):
            feedback.append(FeedbackFact(e, stream: stream, at: time))
        default:
            return
        }
    }

    /// Calls `body` with the slot and facts of every mentorship (live slots, in slot order).
    func forEachPair(_ body: (Int, PairHealthFacts) -> Void) {
        let lifecycleGroups = SlotGroups(lifecycle, column: 0, of: slots)
        let sessionGroups = SlotGroups(sessions, column: 1, of: slots)
        let feedbackGroups = SlotGroups(feedback, column: 2, of: slots)
        for slot in slots.liveSlots {
            var pair = slots.pairs[slot]
            for i in lifecycleGroups[slot] { pair.record(lifecycle[i]) }
            var facts = PairHealthFacts(pair)
            var open = IDTable<Timestamp>()
            for i in sessionGroups[slot] { facts.record(sessions[i], open: &open) }
            for (session, scheduledFor) in open { facts.openScheduled[session] = scheduledFor }
            for i in feedbackGroups[slot] { facts.ratings.append(HealthRatingFact(at: feedback[i].at, rating: feedback[i].rating)) }
            body(slot, facts)
        }
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

    /// Folds one session fact; `open` is ``openScheduled`` while the facts are being folded.
    mutating func record(_ fact: SessionFact, open: inout IDTable<Timestamp>) {
        switch fact.change {
        case .scheduled(let scheduledFor):
            open.assign(scheduledFor, to: fact.session)
        case .held:
            heldAt.append(fact.at)
            open.remove(fact.session)
        case .missed:
            noShowAt.append(fact.at)
            open.remove(fact.session)
        case .cancelled:
            let notice = open[fact.session].map { $0.microsecondsSinceEpoch - fact.at.microsecondsSinceEpoch }
            cancellations.append(HealthCancellationFact(at: fact.at, noticeMicros: notice))
            open.remove(fact.session)
        }
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
