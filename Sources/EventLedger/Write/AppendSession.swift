import Foundation
import LMDBKit

/// The work of one write transaction: any number of append requests applied in order.
///
/// Each request is validated against the state as this transaction sees it (including the requests
/// before it) before any of its bytes are written, so a rejected request leaves nothing behind and
/// the others still commit. Storage failures are thrown and abort the whole transaction.
///
/// Idempotent retries are found in one of two ways. A session that probes looks every event id up
/// before writing a request, and answers a retry with the original positions. A session that does
/// not probe (the fast path: one B-tree search per id instead of two) writes each id with
/// `MDB_NOOVERWRITE` and throws ``StoredIDFound`` at the first id already stored; the writer then
/// aborts the transaction and runs the same requests again in a probing session, so nothing of the
/// first attempt is ever committed.
struct AppendSession {
    /// Thrown by a session that does not probe when an event id is already stored.
    struct StoredIDFound: Error {}

    private struct StreamState {
        var key: UInt64
        var revision: UInt64?
        var dirty: Bool
    }

    private let txn: LMDBWriteTransaction
    private let store: LedgerStore
    private var typeTags: TypeTagTable.Snapshot
    private(set) var newTypeTags: [(String, UInt32)] = []
    private var lastTypeTag: UInt32?
    private var streams: [String: StreamState] = [:]
    private var nextStreamKey: UInt64?
    private var headPosition: UInt64
    private var headHash: ChainHash
    private let recordedAt: Timestamp
    private let probesIDs: Bool

    /// Starts a session on `txn`, reading the head from the log itself (another process may have
    /// appended since this one last did). `probesIDs`: look every id up before writing (see the
    /// type's documentation).
    init(txn: LMDBWriteTransaction, store: LedgerStore, typeTags: TypeTagTable.Snapshot, clock: any LedgerClock, probesIDs: Bool) throws {
        self.txn = txn
        self.probesIDs = probesIDs
        self.store = store
        self.typeTags = typeTags
        var position: UInt64 = 0
        var hash = ChainHash.genesis
        var lastRecordedAt = Timestamp.distantPast
        try txn.withCursor(store.events) { cursor in
            if let (key, value) = try cursor.last(), let at = LedgerKeys.uint64(key) {
                let record = try EventRecord(validating: value, at: at)
                position = at
                hash = record.chainHash
                lastRecordedAt = record.recordedAt
            }
        }
        headPosition = position
        headHash = hash
        recordedAt = max(clock.now(), lastRecordedAt)
    }

    // MARK: - Requests

    /// Applies one request. Returns its results, or the validation error that rejected it (nothing
    /// of it written). Throws only storage errors.
    mutating func apply(_ request: [StreamAppend], events cursor: inout LMDBCursor) throws -> Result<[AppendResult], LedgerError> {
        if probesIDs, let retry = try idempotentRetry(request) { return retry }

        // Validate everything before writing anything.
        var planned: [(StreamAppend, StreamState?)] = []
        for batch in request {
            let state = try streamState(batch.stream)
            guard batch.expectedRevision.isSatisfied(by: state?.revision) else {
                // A retry of a request that committed fails its expected revision now: it is
                // answered with the original positions, on the fast path too.
                if !probesIDs, let retry = try idempotentRetry(request) { return retry }
                let actual = state?.revision.map { "the stream is at revision \($0)" } ?? "the stream has no events"
                return .failure(LedgerError(
                    .wrongExpectedRevision,
                    "stream '\(batch.stream)': expected \(batch.expectedRevision), but \(actual); nothing was written",
                    stream: batch.stream))
            }
            planned.append((batch, state))
        }

        var results: [AppendResult] = []
        results.reserveCapacity(request.count)
        for (batch, existing) in planned {
            var state = try existing ?? newStream(batch.stream)
            let first = headPosition + 1
            for event in batch.events {
                let revision = state.revision.map { $0 + 1 } ?? 0
                try write(event, streamKey: state.key, revision: revision, cursor: &cursor)
                state.revision = revision
            }
            state.dirty = state.dirty || !batch.events.isEmpty
            streams[batch.stream] = state
            results.append(AppendResult(stream: batch.stream, positions: first..<headPosition + 1, revision: state.revision, wasAlreadyStored: false))
        }
        return .success(results)
    }

    /// Writes the head, the stream states and the last type tag. Call once, before commit.
    func finish() throws {
        var head = [UInt8]()
        head.reserveCapacity(40)
        withUnsafeBytes(of: headPosition.bigEndian) { head.append(contentsOf: $0) }
        headHash.withUnsafeBytes { head.append(contentsOf: $0) }
        try putMeta(MetaKey.head, head)
        for (name, state) in streams where state.dirty {
            guard let revision = state.revision else { continue }
            try LedgerKeys.withStreamState(state.key, revision) { value in
                try Array(name.utf8).withUnsafeBytes { try txn.put(store.streamNames, key: $0, value: value) }
            }
        }
        if let lastTypeTag {
            try withUnsafeBytes(of: lastTypeTag.bigEndian) { value in
                try Array(MetaKey.lastTypeTag.utf8).withUnsafeBytes { try txn.put(store.meta, key: $0, value: value) }
            }
        }
    }

    // MARK: - Writing one event

    private mutating func write(_ event: ProposedEvent, streamKey: UInt64, revision: UInt64, cursor: inout LMDBCursor) throws {
        let position = headPosition + 1
        let tag = try typeTag(event.eventType)
        let fields = EnvelopeFields(position: position, streamKey: streamKey, revision: revision, typeTag: tag, recordedAt: recordedAt)
        let previous = headHash
        let size = EnvelopeLayout.recordSize(payloadCount: event.payload.count)
        let hash = try LedgerKeys.withPositionKey(position) { key in
            try cursor.reserve(key: key, count: size, flags: .append) { space in
                EnvelopeEncoder.encode(event, fields, previous: previous, into: space)
            }
        }
        try LedgerKeys.withPositionKey(position) { positionValue in
            try LedgerKeys.withStreamRevisionKey(streamKey, revision) { key in
                try txn.put(store.streams, key: key, value: positionValue)
            }
            try LedgerKeys.withTypeKey(tag, position) { key in
                try txn.put(store.types, key: key, value: UnsafeRawBufferPointer(start: nil, count: 0))
            }
            try LedgerKeys.withIDKey(event.id) { key in
                do {
                    try txn.put(store.eventIDs, key: key, value: positionValue, flags: .noOverwrite)
                } catch let error as LMDBError where error.code == .keyExists && !probesIDs {
                    throw StoredIDFound()
                }
            }
        }
        headPosition = position
        headHash = hash
    }

    // MARK: - Streams

    private mutating func streamState(_ name: String) throws -> StreamState? {
        if let cached = streams[name] { return cached }
        let nameBytes = Array(name.utf8)
        guard let value = try nameBytes.withUnsafeBytes({ try txn.get(store.streamNames, key: $0) }) else { return nil }
        guard let key = LedgerKeys.uint64(value, at: 0), let revision = LedgerKeys.uint64(value, at: 8) else {
            throw LedgerError(.corruptRecord, "the stream-names entry of '\(name)' is damaged (\(value.count) bytes)", stream: name)
        }
        let state = StreamState(key: key, revision: revision, dirty: false)
        streams[name] = state
        return state
    }

    private mutating func newStream(_ name: String) throws -> StreamState {
        var key: UInt64
        if let next = nextStreamKey {
            key = next
        } else {
            key = 1
            try txn.withCursor(store.streamKeys) { cursor in
                if let (last, _) = try cursor.last(), let lastKey = LedgerKeys.uint64(last) { key = lastKey + 1 }
            }
        }
        nextStreamKey = key + 1
        try withUnsafeBytes(of: key.bigEndian) { keyBytes in
            try Array(name.utf8).withUnsafeBytes { try txn.put(store.streamKeys, key: keyBytes, value: $0, flags: .noOverwrite) }
        }
        return StreamState(key: key, revision: nil, dirty: true)
    }

    // MARK: - Type tags

    /// The tag of `name` if the ledger has one already (this process's table, then `meta`, where
    /// another process may have recorded it).
    private mutating func existingTypeTag(_ name: String) throws -> UInt32? {
        if let tag = typeTags.tags[name] { return tag }
        if let value = try MetaKey.typeKey(name).withUnsafeBytes({ try txn.get(store.meta, key: $0) }),
           let tag = LedgerKeys.uint32(value) {
            typeTags.add(name: name, tag: tag)
            newTypeTags.append((name, tag))
            return tag
        }
        return nil
    }

    private mutating func typeTag(_ name: String) throws -> UInt32 {
        if let tag = try existingTypeTag(name) { return tag }
        let last: UInt32
        if let cached = lastTypeTag {
            last = cached
        } else if let value = try Array(MetaKey.lastTypeTag.utf8).withUnsafeBytes({ try txn.get(store.meta, key: $0) }) {
            last = LedgerKeys.uint32(value) ?? 0
        } else {
            last = 0
        }
        let tag = last + 1
        lastTypeTag = tag
        try withUnsafeBytes(of: tag.bigEndian) { try putMeta(MetaKey.typeKey(name), Array($0)) }
        try putMeta(MetaKey.tagKey(tag), Array(name.utf8))
        typeTags.add(name: name, tag: tag)
        newTypeTags.append((name, tag))
        return tag
    }

    private func putMeta(_ key: String, _ value: [UInt8]) throws {
        try putMeta(Array(key.utf8), value)
    }

    private func putMeta(_ key: [UInt8], _ value: [UInt8]) throws {
        try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try txn.put(store.meta, key: k, value: v) } }
    }

    // MARK: - Idempotent retries

    /// `nil` when no event of the request is stored yet; otherwise the original results (every
    /// event stored, identically, in one run) or an idempotency conflict.
    private mutating func idempotentRetry(_ request: [StreamAppend]) throws -> Result<[AppendResult], LedgerError>? {
        var storedPositions: [UInt64?] = []
        var anyStored = false
        for batch in request {
            for event in batch.events {
                let position = try LedgerKeys.withIDKey(event.id) { try txn.get(store.eventIDs, key: $0) }.flatMap { LedgerKeys.uint64($0) }
                storedPositions.append(position)
                anyStored = anyStored || position != nil
            }
        }
        guard anyStored else { return nil }

        var index = 0
        var expectedNext: UInt64?
        var results: [AppendResult] = []
        for batch in request {
            let state = try streamState(batch.stream)
            var first: UInt64?
            var lastRevision: UInt64?
            for event in batch.events {
                defer { index += 1 }
                guard let position = storedPositions[index] else {
                    return .failure(conflict(event, batch.stream, "part of the batch is already stored and event \(event.id) is not; retry the original batch unchanged"))
                }
                if let expectedNext, position != expectedNext {
                    return .failure(conflict(event, batch.stream, "event \(event.id) is stored at position \(position), not next to the rest of the batch"))
                }
                guard let value = try LedgerKeys.withPositionKey(position, { try txn.get(store.events, key: $0) }) else {
                    throw LedgerError(.corruptRecord, "event-ids points event \(event.id) at position \(position), which is not in the log", position: position)
                }
                let record = try EventRecord(validating: value, at: position)
                let tag = try existingTypeTag(event.eventType)
                if let mismatch = difference(event, record, streamKey: state?.key, typeTag: tag) {
                    return .failure(conflict(event, batch.stream, "event \(event.id) is already stored at position \(position) with a different \(mismatch)"))
                }
                first = first ?? position
                lastRevision = record.streamRevision
                expectedNext = position + 1
            }
            let start = first ?? (expectedNext ?? headPosition + 1)
            results.append(AppendResult(stream: batch.stream, positions: start..<(expectedNext ?? start), revision: lastRevision ?? state?.revision, wasAlreadyStored: true))
        }
        return .success(results)
    }

    private func conflict(_ event: ProposedEvent, _ stream: String, _ message: String) -> LedgerError {
        LedgerError(.idempotencyConflict, "stream '\(stream)': \(message); nothing was written", stream: stream)
    }

    /// The first envelope field in which the proposed event differs from the stored record.
    private func difference(_ event: ProposedEvent, _ record: EventRecord, streamKey: UInt64?, typeTag: UInt32?) -> String? {
        if record.streamKey != streamKey { return "stream" }
        if record.typeTag != typeTag { return "type" }
        if record.schemaVersion != event.schemaVersion { return "schema version" }
        if !record.payload.elementsEqual(event.payload) { return "payload" }
        if record.actor != event.actor { return "actor" }
        if record.correlationID != event.correlationID { return "correlation id" }
        if record.causationID != event.causationID { return "causation id" }
        if let occurredAt = event.occurredAt, occurredAt != record.occurredAt { return "occurred-at" }
        return nil
    }
}
