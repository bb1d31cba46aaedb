public import EventLedger
public import Foundation

/// Everything the five built-in read models (Progress, Engagement, Commitment, program health,
/// Nudges) know about one mentorship, folded as its events come: the facts each report gathers
/// per mentorship, already gathered.
///
/// A record is created by its stream's MentorshipStarted and then folds every later event of
/// that stream with ``apply(_:at:position:)``, in O(1) amortised per event (lookups by id go
/// through ``IDTable``). No metric is stored: a report evaluates records as of an explicit asOf
/// (for example ``ProgressReport/init(records:asOf:)``), one record on its own or many together.
///
/// It holds, once each (the union of what the models read):
/// - the pair (``startPosition``, identity, cadence, pauses and end);
/// - goals and tasks (Progress, Nudges);
/// - sessions (scheduled, held, missed, cancelled) and every feedback (Commitment, Nudges, and
///   program health's ratings);
/// - every held session with its minutes and attendance, and each session's first feedback time
///   (Engagement, and program health's held times);
/// - no-shows, cancellations with their notice and the open scheduled sessions (program health);
/// - every NudgeSent and the activity times (Nudges);
/// - ``lastOccurredAt`` and ``eventCount``.
///
/// Folded with a ``RecordSettling`` retention (the persisted models' default), the facts older
/// than the retention are settled into counters as the record's events move on (closed goals into
/// their final Progress entry, closed tasks into counts), so the record's size follows the
/// mentorship (its open goals and tasks, one entry per closed goal, the last months of sessions),
/// not its number of events; it then answers exactly from ``answersExactlyFrom`` on.
///
/// It is a ``ProjectionRow``: ``encode(into:)`` writes a compact binary form (layout in
/// `MentorshipRecord+Row.swift`) that ``init(decoding:)`` reads back exactly.
public struct MentorshipRecord: Sendable, Hashable {
    /// The log position of the MentorshipStarted that created this record: orders records as the
    /// mentorships started.
    public private(set) var startPosition: UInt64
    /// Identity, cadence, start, pauses and end.
    var pair: TrackedPair
    /// Goals, in the order they were set.
    var goals = IDTable<TrackedGoal>()
    /// Tasks, in the order they were assigned.
    var tasks = IDTable<TrackedTask>()
    /// Sessions and every FeedbackGiven.
    var sessions = TrackedSessions()
    /// Every SessionHeld as the pair's held session, in log order.
    var heldSessions: [EngagementSessionFact] = []
    /// Per session that got session-linked feedback: the earliest occurred-at of such feedback.
    var firstFeedbackAt = IDTable<Timestamp>()
    /// No-shows, cancellations and open scheduled sessions, for program health.
    var health = HealthSessionFacts()
    /// Every NudgeSent, in log order.
    var sent: [TrackedNudge] = []
    /// Occurred-at of the start and of every event but NudgeSent.
    var activity = ActivityTimes()
    /// The facts settled into counters (nothing unless folded with a retention).
    var settled = SettledHistory()
    /// The latest occurred-at of the events folded (the start included).
    public private(set) var lastOccurredAt: Timestamp
    /// How many events were folded since the MentorshipStarted that created the record (that
    /// start included).
    public private(set) var eventCount: UInt64

    /// The record of a mentorship that just started: `start`, which occurred at `time` at log
    /// position `position`.
    public init(_ start: MentorshipStarted, at time: Timestamp, position: UInt64) {
        startPosition = position
        pair = TrackedPair(start, at: time)
        activity.saw(time)
        lastOccurredAt = time
        eventCount = 1
    }

    /// A record as stored (a decoded row).
    init(startPosition: UInt64, pair: TrackedPair, goals: IDTable<TrackedGoal>, tasks: IDTable<TrackedTask>,
         sessions: TrackedSessions, heldSessions: [EngagementSessionFact], firstFeedbackAt: IDTable<Timestamp>,
         health: HealthSessionFacts, sent: [TrackedNudge], activity: ActivityTimes, settled: SettledHistory,
         lastOccurredAt: Timestamp, eventCount: UInt64) {
        self.startPosition = startPosition
        self.pair = pair
        self.goals = goals
        self.tasks = tasks
        self.sessions = sessions
        self.heldSessions = heldSessions
        self.firstFeedbackAt = firstFeedbackAt
        self.health = health
        self.sent = sent
        self.activity = activity
        self.settled = settled
        self.lastOccurredAt = lastOccurredAt
        self.eventCount = eventCount
    }

    /// The mentorship's id.
    public var mentorship: UUID { pair.mentorship }
    /// Its program.
    public var program: UUID { pair.program }
    /// The mentor.
    public var mentor: UUID { pair.mentor }
    /// The mentee.
    public var mentee: UUID { pair.mentee }
    /// Occurred-at of its MentorshipStarted.
    public var startedAt: Timestamp { pair.startedAt }
    /// Facts dated before this were settled into counters; `nil` when none was (a record folded
    /// without settling keeps every fact).
    public var settledBefore: Timestamp? { settled.horizon }
    /// The earliest asOf the record answers exactly: the settled horizon plus the longest window
    /// a metric looks back (90 days); `nil` when nothing was settled (every asOf is exact).
    public var answersExactlyFrom: Timestamp? {
        settled.horizon.map {
            Timestamp(microsecondsSinceEpoch: $0.microsecondsSinceEpoch + Int64(EngagementFormulas.longWindowDays) * EngagementClock.microsPerDay)
        }
    }

    /// Folds one event of this record's stream that came after its start, which occurred at
    /// `time` at log position `position`, then settles older facts as `settling` asks (by
    /// default it keeps every fact). A MentorshipStarted (a restart of the stream) replaces the
    /// whole record: what came before it no longer counts.
    public mutating func apply(_ event: AccountabilityEvent, at time: Timestamp, position: UInt64,
                               settling: RecordSettling = .never) {
        fold(event, at: time, position: position)
        if settling.retentionDays != nil { settleIfDue(settling) }
    }

    private mutating func fold(_ event: AccountabilityEvent, at time: Timestamp, position: UInt64) {
        if case .mentorshipStarted(let start) = event {
            self = MentorshipRecord(start, at: time, position: position)
            return
        }
        eventCount += 1
        if time > lastOccurredAt { lastOccurredAt = time }
        switch event {
        case .mentorshipStarted:
            return
        case .nudgeSent(let e):
            sent.append(TrackedNudge(rule: e.rule.rawValue, subject: e.subject, recipient: e.recipient, at: time))
            return // not activity
        case .mentorshipPaused, .mentorshipResumed, .mentorshipEnded:
            if let fact = LifecycleFact(event, at: time) { pair.record(fact) }
        case .goalSet, .goalRevised, .goalProgressRecorded, .goalAchieved, .goalAbandoned:
            if let fact = GoalFact(event, at: time, position: position) { goals.record(fact) }
        case .taskAssigned:
            if let fact = TaskFact(event, at: time) { tasks.record(fact) }
            if let fact = GoalFact(event, at: time, position: position) { goals.record(fact) }
        case .taskCompleted, .taskCancelled:
            if let fact = TaskFact(event, at: time) { tasks.record(fact) }
        case .sessionScheduled, .sessionHeld, .sessionMissed, .sessionCancelled:
            if let fact = SessionFact(event, at: time, position: position) {
                sessions.record(fact, of: pair)
                health.record(fact)
            }
            if case .sessionHeld(let e) = event { heldSessions.append(HeldSessionFact(e, at: time).session(of: pair)) }
        case .feedbackGiven(let e):
            sessions.record(FeedbackFact(e, at: time))
            if let session = e.session { firstFeedbackAt.recordFirstFeedback(SessionFeedbackFact(session: session, at: time)) }
        }
        activity.saw(time)
    }
}
