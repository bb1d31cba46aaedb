public import EventLedger
public import Foundation

/// One consistent view of the built-in read models, to ask by key: a mentorship, a participant,
/// a goal or a program, at any `asOf` — or every record, in key order.
///
/// From ``AccountabilityReadModels/read(_:)`` it reads the rows stored in the ledger (valid only
/// inside that closure, like a ``LedgerReader``); from ``AccountabilityReadModels/replay(_:)``
/// it holds rows folded in memory (time travel; a ledger opened read-only).
///
/// ```swift
/// let models = try AccountabilityReadModels(ledger: ledger)
/// try models.catchUp()
/// let pair = try models.read { try $0.mentorship(id, asOf: .now()) }
/// print(pair?.engagement?.score ?? 0, pair?.health?.status ?? .green)
/// ```
///
/// Every answer is computed from the records it names only, exactly as the full reports compute
/// the same entries: `mentorship(id, asOf:)` reads one record.
public struct AccountabilitySnapshot {
    /// The position the rows reflect.
    public let position: UInt64
    private let lookup: (RowKey) throws -> AccountabilityRow?
    private let scan: (RowKey, (RowKey, AccountabilityRow) throws -> Bool) throws -> Void

    /// A snapshot of stored rows.
    init(view: ProjectionView<AccountabilityModels>) {
        position = view.position
        lookup = { try view.row($0) }
        scan = { prefix, body in try view.forEachRow(prefix: prefix, body) }
    }

    /// A snapshot of rows folded in memory (by `ledger.replay(keyed: AccountabilityModels(), query)`),
    /// reflecting the events up to `position`.
    public init(rows: ProjectionRows<AccountabilityRow>, position: UInt64) {
        self.position = position
        let all = rows.rows
        var byKey: [RowKey: AccountabilityRow] = [:]
        byKey.reserveCapacity(all.count)
        for (key, row) in all { byKey[key] = row }
        lookup = { [byKey] key in byKey[key] }
        scan = { prefix, body in
            // Rows are sorted by key: start at the first key not before the prefix.
            var low = 0, high = all.count
            while low < high {
                let mid = (low + high) / 2
                if all[mid].key < prefix { low = mid + 1 } else { high = mid }
            }
            var index = low
            while index < all.count, all[index].key.hasPrefix(prefix) {
                guard try body(all[index].key, all[index].row) else { return }
                index += 1
            }
        }
    }

    // MARK: - Records

    /// The record of the mentorship on stream `stream`.
    public func record(stream: UInt64) throws -> MentorshipRecord? {
        try lookup(AccountabilityKeys.mentorship(stream: stream))?.record
    }

    /// The record of mentorship `id`.
    public func record(mentorship id: UUID) throws -> MentorshipRecord? {
        guard let stream = try lookup(AccountabilityKeys.mentorshipID(id))?.streamKey else { return nil }
        return try record(stream: stream)
    }

    /// Calls `body` with every record, in stream-key order, until it returns false.
    public func forEachRecord(_ body: (MentorshipRecord) throws -> Bool) throws {
        try scan(AccountabilityKeys.mentorships) { _, row in
            guard let record = row.record else { return true }
            return try body(record)
        }
    }

    /// Every record, in the order the mentorships started.
    public func records() throws -> [MentorshipRecord] {
        var all: [MentorshipRecord] = []
        try forEachRecord { all.append($0); return true }
        return all.sorted { $0.startPosition < $1.startPosition }
    }

    /// How many built-in events the rows reflect (events of every built-in type up to ``position``).
    public func eventsFolded() throws -> UInt64 {
        if case .count(let count) = try lookup(AccountabilityKeys.eventsFolded) { return count }
        return 0
    }

    /// The records of the mentorships in which `person` is the mentor or the mentee, in the
    /// order they started.
    public func records(ofParticipant person: UUID) throws -> [MentorshipRecord] {
        try records(members: AccountabilityKeys.participant(person))
    }

    /// The records of the mentorships of `program`, in the order they started.
    public func records(inProgram program: UUID) throws -> [MentorshipRecord] {
        try records(members: AccountabilityKeys.program(program))
    }

    /// The records of the memberships under `prefix` (a participant's or a program's).
    private func records(members prefix: RowKey) throws -> [MentorshipRecord] {
        var streams: [UInt64] = []
        try scan(prefix) { key, _ in
            if let stream = AccountabilityKeys.stream(ofMembership: key) { streams.append(stream) }
            return true
        }
        return try streams.compactMap { try record(stream: $0) }.sorted { $0.startPosition < $1.startPosition }
    }

    // MARK: - Answers
    //
    // Each answer throws ``SettledRecordError`` when `asOf` is before the time from which a
    // record it reads answers exactly (a record that settled its older facts).

    /// What the models say about mentorship `id` at `asOf`; nil when no such mentorship is known.
    public func mentorship(_ id: UUID, asOf: Timestamp) throws -> MentorshipAnswer? {
        guard let record = try record(mentorship: id) else { return nil }
        try SettledRecordError.check([record], asOf: asOf)
        return MentorshipAnswer(record: record, asOf: asOf)
    }

    /// What the models say about `person` (as mentor or mentee) at `asOf`; nil when they are in
    /// no known mentorship.
    public func participant(_ person: UUID, asOf: Timestamp) throws -> ParticipantAnswer? {
        let records = try records(members: AccountabilityKeys.participant(person))
        guard !records.isEmpty else { return nil }
        try SettledRecordError.check(records, asOf: asOf)
        return ParticipantAnswer(person: person, records: records, asOf: asOf)
    }

    /// What the models say about program `id` at `asOf`; nil when it has no known mentorship.
    public func program(_ id: UUID, asOf: Timestamp) throws -> ProgramAnswer? {
        let records = try records(members: AccountabilityKeys.program(id))
        guard !records.isEmpty else { return nil }
        try SettledRecordError.check(records, asOf: asOf)
        return ProgramAnswer(program: id, records: records, asOf: asOf)
    }

    /// The progress of goal `id` at `asOf`; nil when no such goal is known (or it was set after `asOf`).
    public func goal(_ id: UUID, asOf: Timestamp) throws -> GoalProgress? {
        guard let stream = try lookup(AccountabilityKeys.goal(id))?.streamKey, let record = try record(stream: stream) else { return nil }
        try SettledRecordError.check([record], asOf: asOf)
        return ProgressReport(records: [record], asOf: asOf).goal(id)
    }

    /// The five reports of the whole program at `asOf`.
    public func reports(asOf: Timestamp) throws -> AccountabilityReports {
        let records = try records()
        try SettledRecordError.check(records, asOf: asOf)
        return AccountabilityReports(records: records, asOf: asOf)
    }
}
