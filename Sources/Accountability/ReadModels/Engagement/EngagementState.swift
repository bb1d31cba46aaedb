public import EventLedger
public import Foundation

/// The facts the engagement read model folds from the log: per mentorship stream, who the pair
/// is, its cadence, when it started, paused, resumed and ended, every held session and when each
/// session first got feedback. No metric is stored; ``report(asOf:)`` derives them all.
///
/// `apply` only appends each event's fact to its column (lifecycle, held sessions, session
/// feedback), tagged with its stream, so folding an event reads no per-mentorship memory; a
/// report gathers each mentorship's ``EngagementMentorshipFacts``. Every time is the event's
/// occurred-at (domain time).
public struct EngagementState: Sendable, Hashable, Codable {
    /// The mentorships, by stream key.
    var slots = MentorshipSlots()
    /// Lifecycle events (column 0), in log order.
    var lifecycle = FactColumn<LifecycleFact>()
    /// SessionHeld events (column 1), in log order.
    var held = FactColumn<HeldSessionFact>()
    /// Session-linked FeedbackGiven events (column 2), in log order.
    var feedback = FactColumn<SessionFeedbackFact>()

    /// The state before any event.
    public init() {}

    /// Facts per mentorship, keyed by the stream's key (``EventRecord/streamKey``).
    public var mentorships: [UInt64: EngagementMentorshipFacts] {
        var result: [UInt64: EngagementMentorshipFacts] = [:]
        forEachMentorship { slot, facts in result[slots.streams[slot]] = facts }
        return result
    }

    /// Folds one event of the stream `stream`: start, pauses, resumes, end, held sessions and
    /// session-linked feedback. Events of a stream with no MentorshipStarted (before them) are
    /// left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp) {
        switch event {
        case .mentorshipStarted(let start):
            slots.start(TrackedPair(start, at: time), stream: stream, marks: [lifecycle.count, held.count, feedback.count])
        case .mentorshipPaused, .mentorshipResumed, .mentorshipEnded:
            if let fact = LifecycleFact(event, stream: stream, at: time) { lifecycle.append(fact) }
        case .sessionHeld(let e):
            held.append(HeldSessionFact(e, stream: stream, at: time))
        case .feedbackGiven(let e):
            guard let session = e.session else { return }
            feedback.append(SessionFeedbackFact(stream: stream, session: session, at: time))
        default:
            return
        }
    }

    /// Calls `body` with the slot and facts of every mentorship (live slots, in slot order)
    /// started at or before `asOf` (every one when `asOf` is `nil`).
    func forEachMentorship(startedBy asOf: Timestamp? = nil, _ body: (Int, EngagementMentorshipFacts) -> Void) {
        let lifecycleGroups = SlotGroups(lifecycle, column: 0, of: slots)
        let heldGroups = SlotGroups(held, column: 1, of: slots)
        let feedbackGroups = SlotGroups(feedback, column: 2, of: slots)
        for slot in slots.liveSlots {
            if let asOf, slots.pairs[slot].startedAt > asOf { continue }
            var pair = slots.pairs[slot]
            for i in lifecycleGroups[slot] { pair.record(lifecycle[i]) }
            var facts = EngagementMentorshipFacts(pair)
            facts.sessions.reserveCapacity(heldGroups[slot].count)
            for i in heldGroups[slot] { facts.sessions.append(held[i].session(of: pair)) }
            for i in feedbackGroups[slot] { facts.recordFeedback(feedback[i]) }
            body(slot, facts)
        }
    }

    /// The engagement metrics as of `asOf`: only facts whose occurred-at is at or before `asOf`
    /// count; a mentorship that started after `asOf` is not reported.
    public func report(asOf: Timestamp) -> EngagementReport {
        EngagementReport(state: self, asOf: asOf)
    }
}

/// What the engagement model knows about one mentorship.
public struct EngagementMentorshipFacts: Sendable, Hashable, Codable {
    /// The mentorship's id.
    public var mentorship: UUID
    /// The mentor.
    public var mentor: UUID
    /// The mentee.
    public var mentee: UUID
    /// The program.
    public var program: UUID
    /// The agreed cadence in days (1…365).
    public var cadenceDays: Int
    /// Occurred-at of MentorshipStarted.
    public var startedAt: Timestamp
    /// Occurred-at of MentorshipEnded, once ended.
    public var endedAt: Timestamp?
    /// Pauses, in log order.
    public var pauses: [MentorshipPauseFact]
    /// Held sessions, in log order.
    public var sessions: [EngagementSessionFact]
    /// For each session that received session-linked feedback: the earliest occurred-at of such
    /// a FeedbackGiven.
    public var firstFeedbackAt: [UUID: Timestamp]

    /// Facts of a mentorship that just started.
    public init(_ start: MentorshipStarted, startedAt: Timestamp) {
        mentorship = start.mentorship
        mentor = start.mentor
        mentee = start.mentee
        program = start.program
        cadenceDays = start.cadenceDays
        self.startedAt = startedAt
        endedAt = nil
        pauses = []
        sessions = []
        firstFeedbackAt = [:]
    }

    /// The facts of a mentorship as the shared fold tracked its start and lifecycle.
    init(_ pair: TrackedPair) {
        mentorship = pair.mentorship
        mentor = pair.mentor
        mentee = pair.mentee
        program = pair.program
        cadenceDays = pair.cadenceDays
        startedAt = pair.startedAt
        endedAt = pair.endedAt
        pauses = pair.pauses.map { MentorshipPauseFact(pausedAt: $0.pausedAt, resumedAt: $0.resumedAt) }
        sessions = []
        firstFeedbackAt = [:]
    }

    /// Folds a session-linked FeedbackGiven: keeps the earliest occurred-at per session.
    mutating func recordFeedback(_ fact: SessionFeedbackFact) {
        if let current = firstFeedbackAt[fact.session], current <= fact.at { return }
        firstFeedbackAt[fact.session] = fact.at
    }
}

/// One held session (SessionHeld).
public struct EngagementSessionFact: Sendable, Hashable, Codable {
    /// The session's id.
    public var session: UUID
    /// When it was held (occurred-at of SessionHeld).
    public var heldAt: Timestamp
    /// Its length in minutes.
    public var minutes: Int
    /// Whether the mentor is among the attendees.
    public var mentorAttended: Bool
    /// Whether the mentee is among the attendees.
    public var menteeAttended: Bool

    /// Creates the fact.
    public init(session: UUID, heldAt: Timestamp, minutes: Int, mentorAttended: Bool, menteeAttended: Bool) {
        self.session = session
        self.heldAt = heldAt
        self.minutes = minutes
        self.mentorAttended = mentorAttended
        self.menteeAttended = menteeAttended
    }
}
