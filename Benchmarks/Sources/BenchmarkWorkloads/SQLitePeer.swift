public import EventLedger
import Foundation
public import GRDB

/// Peer (b): the same envelopes in one SQLite table through GRDB, feeding the same projections.
///
/// The table keeps every envelope field in a column (the identifiers as 16-byte BLOBs, the
/// payload and the chain hash as BLOBs), the position as the rowid and an index on
/// (stream_key, revision). The database is in WAL mode with `synchronous = FULL`: GRDB turns WAL
/// on after the `prepareDatabase` functions have run and sets `synchronous = NORMAL` as it does,
/// so the pragma is set on the open connection afterwards (and in `prepareDatabase` for any later
/// connection) and read back.
///
/// Loading (``load(from:into:)``) is setup. The timed part (``replay(_:store:types:buffer:)``) is
/// what a SQLite-backed event store does to rebuild read models: one `SELECT … ORDER BY position`
/// over every row; for each row the envelope fields and the payload are read, the record is
/// rebuilt in a reusable buffer (see ``PeerRecordBuffer``), decoded with the projection's own
/// decoder (the same binary codecs) and applied to the projection — the same projection value
/// the ledger replays.
public final class SQLitePeerStore {
    /// The database: one connection, WAL, synchronous = FULL.
    public let queue: DatabaseQueue
    /// The database file.
    public let path: String
    /// Rows loaded.
    public private(set) var rows: Int = 0

    /// Opens (creates) the database at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        // GRDB's WAL set-up ran after prepareDatabase and left synchronous = NORMAL: set it again
        // on the open connection, and check.
        let synchronous = try queue.writeWithoutTransaction { db -> Int in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        }
        let journal = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
        guard synchronous == 2, journal.lowercased() == "wal" else {
            throw PeerError("SQLite peer at \(path): journal_mode \(journal), synchronous \(synchronous); expected wal and 2 (FULL)")
        }
        self.queue = queue
        self.path = path
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS events (
                    position INTEGER PRIMARY KEY,
                    stream_key INTEGER NOT NULL,
                    revision INTEGER NOT NULL,
                    type_tag INTEGER NOT NULL,
                    schema_version INTEGER NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    format_version INTEGER NOT NULL,
                    flags INTEGER NOT NULL,
                    id BLOB NOT NULL,
                    actor BLOB,
                    correlation_id BLOB,
                    causation_id BLOB,
                    payload BLOB NOT NULL,
                    chain_hash BLOB NOT NULL
                );
                CREATE UNIQUE INDEX IF NOT EXISTS events_stream ON events (stream_key, revision);
                """)
        }
    }

    private static func blob(_ id: UUID?) -> Data? {
        guard var raw = id?.uuid else { return nil }
        return withUnsafeBytes(of: &raw) { Data($0) }
    }

    /// Copies every stored envelope of `ledger` into the table (setup, not timed), in
    /// transactions of 10,000 rows. Returns the rows written.
    @discardableResult
    public func load(from ledger: Ledger) throws -> Int {
        var pending: [[DatabaseValueConvertible?]] = []
        pending.reserveCapacity(10_000)
        var written = 0
        func flush() throws {
            guard !pending.isEmpty else { return }
            try queue.write { db in
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO events (position, stream_key, revision, type_tag, schema_version, recorded_at, occurred_at,
                                        format_version, flags, id, actor, correlation_id, causation_id, payload, chain_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for values in pending {
                    try insert.execute(arguments: StatementArguments(values))
                }
            }
            written += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        try ledger.read { reader in
            try reader.forEach(.all()) { record in
                let e = PeerEnvelope(record)
                let hashBytes = UnsafeRawBufferPointer(rebasing: record.storedBytes[(record.storedBytes.count - EnvelopeLayout.hashSize)...])
                pending.append([
                    Int64(bitPattern: e.position), Int64(bitPattern: e.streamKey), Int64(bitPattern: e.revision),
                    Int64(e.typeTag), Int64(e.schemaVersion), e.recordedAt, e.occurredAt,
                    Int64(e.formatVersion), Int64(e.flags),
                    Self.blob(e.id), Self.blob(e.actor), Self.blob(e.correlationID), Self.blob(e.causationID),
                    Data(record.payload), Data(hashBytes),
                ])
                if pending.count == 10_000 { try flush() }
            }
        }
        try flush()
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        rows = written
        return written
    }

    /// The timed part: scans every row in position order, rebuilds each record, decodes it with
    /// `projection`'s decoder and applies it. Returns the state and the events applied.
    public func replay<P: Projection>(_ projection: P, types: PeerTypeMap, buffer: PeerRecordBuffer) throws -> (state: P.State, events: Int) {
        var state = projection.initialState
        var applied = 0
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT format_version, flags, schema_version, type_tag, position, stream_key, revision, recorded_at, occurred_at,
                       id, actor, correlation_id, causation_id, payload, chain_hash
                FROM events ORDER BY position
                """)
            while let row = try rows.next() {
                let tag = UInt32(truncatingIfNeeded: try row.decode(Int64.self, atIndex: 3))
                guard let index = types.index(of: tag) else { continue }
                let position = UInt64(bitPattern: try row.decode(Int64.self, atIndex: 4))
                let payloadCount = try row.withUnsafeData(atIndex: 13) { $0?.count ?? 0 }
                buffer.writeHeader(
                    formatVersion: UInt8(truncatingIfNeeded: try row.decode(Int64.self, atIndex: 0)),
                    flags: UInt8(truncatingIfNeeded: try row.decode(Int64.self, atIndex: 1)),
                    schemaVersion: UInt16(truncatingIfNeeded: try row.decode(Int64.self, atIndex: 2)),
                    typeTag: tag, position: position,
                    streamKey: UInt64(bitPattern: try row.decode(Int64.self, atIndex: 5)),
                    revision: UInt64(bitPattern: try row.decode(Int64.self, atIndex: 6)),
                    recordedAt: try row.decode(Int64.self, atIndex: 7),
                    occurredAt: try row.decode(Int64.self, atIndex: 8),
                    payloadCount: payloadCount)
                func id(_ column: Int, _ slot: PeerIDSlot) throws {
                    try row.withUnsafeData(atIndex: column) { data in
                        guard let data else { return try buffer.writeID(raw: nil, slot: slot) }
                        try data.withUnsafeBytes { try buffer.writeID(raw: $0, slot: slot) }
                    }
                }
                try id(9, .id)
                try id(10, .actor)
                try id(11, .correlation)
                try id(12, .causation)
                try row.withUnsafeData(atIndex: 13) { payload in
                    try row.withUnsafeData(atIndex: 14) { hash in
                        guard let payload, let hash else { throw PeerError("row at position \(position) has no payload or chain hash") }
                        try payload.withUnsafeBytes { p in try hash.withUnsafeBytes { h in try buffer.writeBody(payload: p, hash: h) } }
                    }
                }
                try buffer.withRecord { record in
                    let event: P.Event
                    do {
                        event = try projection.decode(typeIndex: index, record: record)
                    } catch {
                        throw PeerError("SQLite peer: the \(projection.eventTypes[index]) at position \(position) does not decode: \(error)")
                    }
                    try projection.apply(event, record: record, to: &state)
                }
                applied += 1
            }
        }
        return (state, applied)
    }
}
