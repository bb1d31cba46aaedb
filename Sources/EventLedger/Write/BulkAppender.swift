public import Foundation
import LMDBKit

/// Appends made inside one write transaction that the caller feeds as it goes: what an import
/// of a file of any size uses, so that the file never has to be held in memory and still
/// commits whole or not at all.
///
/// Obtained only inside ``Ledger/bulkAppend(reservingBytes:_:)`` and valid only inside its
/// closure. Every append is checked as ``Ledger/append(_:)-(StreamAppend...)`` checks it and
/// written at once; the transaction commits when the closure returns and is rolled back when it
/// throws (or the process dies first), so readers see all of it or none of it.
public struct BulkAppender: ~Copyable {
    private var session: AppendSession
    private var cursor: LMDBCursor
    private let ledger: Ledger
    private let txn: LMDBWriteTransaction
    /// The events appended or copied so far.
    public private(set) var count = 0

    init(session: AppendSession, cursor: LMDBCursor, ledger: Ledger, txn: LMDBWriteTransaction) {
        self.session = session
        self.cursor = cursor
        self.ledger = ledger
        self.txn = txn
    }

    /// The newest position and chain hash, counting this transaction's appends.
    public var head: LedgerHead { LedgerHead(position: session.head.position, hash: session.head.hash, recordedAt: nil) }

    /// Reads as this transaction sees the ledger, its own appends included (stream lookups by name
    /// see streams this transaction created only once it commits; their events are found by
    /// position and by id at once). The reader is valid only inside the current call's closure.
    public mutating func read<R>(_ body: (LedgerReader) throws -> R) throws -> R {
        // Stream revisions are kept in the session until they are needed: now.
        try session.flushStreams()
        return try body(LedgerReader(txn: txn.reader, store: ledger.store, typeTags: ledger.typeTags, registry: ledger.registry, scanResidentLimit: 0))
    }

    /// Appends `event` to `stream` after checking `expecting`, at the next position.
    ///
    /// An id already stored is not a retry here: it throws ``LedgerError/Code/idempotencyConflict``
    /// (look ids up with ``read(_:)`` first to skip retries).
    ///
    /// - Throws: ``LedgerError`` as ``Ledger/append(_:to:expecting:)-(_,_,_)`` does; the
    ///   transaction stays usable after a rejected event (nothing of it was written).
    @discardableResult
    public mutating func append(_ event: ProposedEvent, to stream: String, expecting: ExpectedRevision = .any) throws -> AppendResult {
        let batch = [StreamAppend(stream: stream, expectedRevision: expecting, events: [event])]
        _ = try ledger.checkBatches(batch)
        // Checked before anything is written, so a refused event leaves nothing behind.
        if try session.isStored(event.id) {
            throw LedgerError(.idempotencyConflict, "event \(UUIDText.lowercase(event.id)) for stream '\(stream)' is already stored; nothing of it was written", stream: stream)
        }
        let outcome: Result<[AppendResult], LedgerError>
        do {
            outcome = try session.apply(batch, events: &cursor)
        } catch is AppendSession.StoredIDFound {
            throw LedgerError(.idempotencyConflict, "event \(event.id.uuidString.lowercased()) for stream '\(stream)' is already stored; nothing of the bulk append was written", stream: stream)
        }
        let result = try outcome.get()[0]
        count += 1
        return result
    }

    /// Copies a record of another ledger exactly: `canonical` (its canonical bytes, see
    /// ``EnvelopeLayout``) keeps its position, revision, stream key, type tag, id and times, and
    /// `chainHash` must be SHA-256 of this ledger's head hash and `canonical`: what makes a copy
    /// whose head equals the source's. `stream` and `eventType` are the names the record's key
    /// and tag stand for in the source; the payload must decode with the registered type.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` naming the position when the record does not
    ///   continue this ledger (position, revision, key, tag, recorded-at, chain hash or a stored
    ///   id); ``LedgerError/Code/corruptRecord`` when the bytes are not a record;
    ///   ``LedgerError/Code/unknownEventType`` or ``LedgerError/Code/invalidEvent`` for its payload.
    public mutating func copy(canonical: some Collection<UInt8>, chainHash: ChainHash, stream: String, eventType: String) throws {
        var stored = Array(canonical)
        stored.append(contentsOf: chainHash.bytes)
        let expected = session.head.position + 1
        try stored.withUnsafeBytes { bytes in
            let position = bytes.count >= EnvelopeLayout.headerSize
                ? UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: EnvelopeLayout.positionOffset, as: UInt64.self)) : expected
            let record = try EventRecord(validating: bytes, at: position)
            try LedgerKeys.validateStreamName(stream)
            let proposed = ProposedEvent(eventType: eventType, schemaVersion: record.schemaVersion, payload: Array(record.payload), id: record.id)
            _ = try ledger.checkBatches([StreamAppend(stream: stream, events: [proposed])])
            try session.copy(record, stream: stream, eventType: eventType, cursor: &cursor)
        }
        count += 1
    }

    /// Stores `seal` (a seal of the source ledger, copied with its records). Its position must be
    /// one this transaction has reached and its hash the chain hash there.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when the seal does not match the log.
    public mutating func store(_ seal: HeadSeal) throws {
        guard let value = try LedgerKeys.withPositionKey(seal.position, { try txn.get(ledger.store.events, key: $0) }),
              try EventRecord(validating: value, at: seal.position).chainHash == seal.hash else {
            throw LedgerError(.invalidRequest, "the seal at position \(seal.position) does not match this ledger's chain hash there; nothing was written", position: seal.position)
        }
        try HeadSeal.key(seal.position).withUnsafeBytes { k in
            try seal.storedBytes.withUnsafeBytes { v in try txn.put(ledger.store.meta, key: k, value: v) }
        }
    }

    /// Gives the ledger the id and creation time of the ledger it is a copy of, so that the
    /// source's seals (which sign its id) verify on the copy. Only for a ledger whose every
    /// record was copied from that ledger (``copy(canonical:chainHash:stream:eventType:)``); the
    /// ``Ledger`` instance reports the new id once the directory is opened again.
    public mutating func adoptIdentity(ledgerID: UUID, createdAt: Timestamp) throws {
        try LedgerMetadata.store(LedgerMetadata(ledgerID: ledgerID, createdAt: createdAt), txn, ledger.store)
    }

    consuming func finish() throws -> [(String, UInt32)] {
        try session.finish()
        return session.newTypeTags
    }
}

extension Ledger {
    /// Runs `body` with a ``BulkAppender`` in one write transaction and commits everything it
    /// appended when `body` returns; when `body` throws, or the process dies before the commit,
    /// nothing of it is written. Blocks until committed.
    ///
    /// Other appends to this ledger (from any process) wait until it ends. The map is grown to
    /// hold `reservingBytes` more than the ledger uses before the transaction starts (a bulk
    /// append cannot be replayed on a bigger map the way ``append(_:)-(StreamAppend...)`` is);
    /// running out of it throws ``LedgerError/Code/full`` with nothing written. Reserving is cheap:
    /// the map is address space, and the file grows only as data is written.
    ///
    /// LMDB keeps the transaction's changed pages in memory until the commit, up to 128 Ki pages
    /// (512 MiB with 4 KiB pages) before it writes some out early; commit in bulk appends of a few
    /// hundred thousand events where memory is tight and atomicity across them is not needed.
    ///
    /// - Throws: what `body` throws, or ``LedgerError``.
    public func bulkAppend<R>(reservingBytes: Int, _ body: (inout BulkAppender) throws -> R) throws -> R {
        guard !options.readOnly else {
            throw LedgerError(.invalidRequest, "the ledger at '\(directory.path)' was opened read-only; nothing was written")
        }
        if store.environment.currentThreadHoldsTransaction {
            throw LedgerError(.invalidRequest, "bulkAppend was called inside a read of the same ledger; finish the read first (nothing was written)")
        }
        let (result, learned): (R, [(String, UInt32)]) = try withStorage("a bulk append") { store in
            let used = try store.environment.info().usedBytes
            try store.environment.reserveMapSize(atLeast: used + max(reservingBytes, 0) + (64 << 20))
            return try store.environment.write(growingOnMapFull: false) { txn in
                let session = try AppendSession(txn: txn, store: store, typeTags: typeTags.snapshot, clock: options.clock, probesIDs: false)
                return try txn.withCursor(store.events) { cursor in
                    var appender = BulkAppender(session: session, cursor: cursor, ledger: self, txn: txn)
                    let result = try body(&appender)
                    return (result, try appender.finish())
                }
            }
        }
        typeTags.learn(learned)
        commits.notify()
        return result
    }
}
