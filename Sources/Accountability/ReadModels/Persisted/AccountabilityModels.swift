public import EventLedger

/// The built-in read models' fold as keyed rows: one ``MentorshipRecord`` per mentorship stream,
/// updated in place by each of its events, and index rows that find a mentorship by its id, a
/// participant's and a program's mentorships, and a goal's mentorship (``AccountabilityKeys``).
///
/// Progress, engagement, commitment, program health and nudges are all evaluated from these
/// records, so one fold (and one catch-up) serves the five. Keep it in the ledger with
/// ``AccountabilityReadModels``; fold it in memory with `ledger.replay(keyed: AccountabilityModels())`.
///
/// By default each record settles its facts older than 120 days before its latest event into
/// counters (``RecordSettling/standard``), so a record's size follows its mentorship, not its
/// events, and it answers exactly from ``MentorshipRecord/answersExactlyFrom`` on. Fold with
/// ``RecordSettling/never`` to evaluate any earlier time (time travel).
public struct AccountabilityModels: KeyedProjection {
    /// How records settle their older facts.
    public let settling: RecordSettling

    /// Creates the projection; records settle as `settling` says.
    public init(settling: RecordSettling = .standard) {
        self.settling = settling
    }

    public var name: String { "accountability.models" }
    /// 3: records settle their older sessions, feedback, nudges and activity (since 2) and their
    /// closed goals and tasks (format 3 rows).
    public var version: UInt32 { 3 }
    public var eventTypes: [String] { AccountabilityEvent.typeNames }

    @inlinable
    public func decode(typeIndex: Int, record: EventRecord) throws -> AccountabilityEvent {
        try AccountabilityEvent.decode(typeIndex: typeIndex, record: record)
    }

    public func apply(_ event: AccountabilityEvent, record: EventRecord, to rows: inout ProjectionRows<AccountabilityRow>) throws {
        let stream = record.streamKey
        let key = AccountabilityKeys.mentorship(stream: stream)
        try rows.update(AccountabilityKeys.eventsFolded, default: .count(0)) { row in
            if case .count(let count) = row { row = .count(count + 1) }
        }
        switch event {
        case .mentorshipStarted(let start):
            // A new start on a stream replaces its mentorship (facts before it no longer count).
            if let old = try rows.row(key)?.record {
                try rows.remove(AccountabilityKeys.mentorshipID(old.mentorship))
                try rows.remove(AccountabilityKeys.participant(old.mentor, stream: stream))
                try rows.remove(AccountabilityKeys.participant(old.mentee, stream: stream))
                try rows.remove(AccountabilityKeys.program(old.program, stream: stream))
                for goal in old.goalIDs where try rows.row(AccountabilityKeys.goal(goal))?.streamKey == stream {
                    try rows.remove(AccountabilityKeys.goal(goal))
                }
            }
            try rows.set(.mentorship(MentorshipRecord(start, at: record.occurredAt, position: record.position)), for: key)
            try rows.set(.stream(stream), for: AccountabilityKeys.mentorshipID(start.mentorship))
            try rows.set(.member, for: AccountabilityKeys.participant(start.mentor, stream: stream))
            try rows.set(.member, for: AccountabilityKeys.participant(start.mentee, stream: stream))
            try rows.set(.member, for: AccountabilityKeys.program(start.program, stream: stream))
        default:
            let applied = try rows.updateIfPresent(key) { row -> Bool in
                guard case .mentorship(var current) = row else { return false }
                row = .member    // release the record's storage while it is changed in place
                current.apply(event, at: record.occurredAt, position: record.position, settling: settling)
                row = .mentorship(current)
                return true
            }
            if applied == true, case .goalSet(let goal) = event {
                try rows.set(.stream(stream), for: AccountabilityKeys.goal(goal.goal))
            }
        }
    }
}
