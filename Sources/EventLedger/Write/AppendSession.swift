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
        /// Changed since its name entry was last written (and listed in `unflushedStreams`).
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
    private var lastRecordedAt: Timestamp
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
        self.lastRecordedAt = lastRecordedAt
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
            if !batch.events.isEmpty { markDirty(batch.stream, &state) }
            streams[batch.stream] = state
            results.append(AppendResult(stream: batch.stream, positions: first..<headPosition + 1, revision: state.revision, wasAlreadyStored: false))
        }
        return .success(results)
    }

    /// Writes the head, the stream states and the last type tag. Call once, before commit.
    mutating func finish() throws {
        var head = [UInt8]()
        head.reserveCapacity(40)
        withUnsafeBytes(of: headPosition.bigEndian) { head.append(contentsOf: $0) }
        headHash.withUnsafeBytes { head.append(contentsOf: $0) }
        try putMeta(MetaKey.head, head)
        try flushStreams()
        if let lastTypeTag {
            try withUnsafeBytes(of: lastTypeTag.bigEndian) { value in
                try Array(MetaKey.lastTypeTag.utf8).withUnsafeBytes { try txn.put(store.meta, key: $0, value: value) }
            }
        }
    }

    /// The streams whose name entry lags behind this transaction's appends (each once).
    private var unflushedStreams: [String] = []

    /// Marks `name`'s state changed: its name entry is written at the next flush. A state's
    /// `dirty` flag says it is listed already.
    private mutating func markDirty(_ name: String, _ state: inout StreamState) {
        if !state.dirty { unflushedStreams.append(name) }
        state.dirty = true
    }

    /// Writes the name entries (key and revision) of the streams this transaction changed since
    /// the last flush, so that reads inside the transaction see their new revisions.
    mutating func flushStreams() throws {
        for name in unflushedStreams {
            guard let state = streams[name], state.dirty else { continue }
            if let revision = state.revision {
                try LedgerKeys.withStreamState(state.key, revision) { value in
                    try Array(name.utf8).withUnsafeBytes { try txn.put(store.streamNames, key: $0, value: value) }
                }
            }
            streams[name]?.dirty = false
        }
        unflushedStreams.removeAll(keepingCapacity: true)
    }

    /// Whether an event with `id` is stored (or written earlier in this transaction).
    func isStored(_ id: UUID) throws -> Bool {
        try LedgerKeys.withIDKey(id) { try txn.get(store.eventIDs, key: $0) } != nil
    }

    // MARK: - Writing one event

    private mutating func write(_ event: ProposedEvent, streamKey: UInt64, revision: UInt64, cursor: inout LMDBCursor) throws {
        let position = headPosition + 1
        let tag = try typeTag(event.eventType)
        // Records copied earlier in this transaction may carry later times than this session's clock.
        let at = max(recordedAt, lastRecordedAt)
        let fields = EnvelopeFields(position: position, streamKey: streamKey, revision: revision, typeTag: tag, recordedAt: at)
        let previous = headHash
        let size = EnvelopeLayout.recordSize(payloadCount: event.payload.count)
        let hash = try LedgerKeys.withPositionKey(position) { key in
            try cursor.reserve(key: key, count: size, flags: .append) { space in
                EnvelopeEncoder.encode(event, fields, previous: previous, into: space)
            }
        }
        try writeIndexes(position: position, streamKey: streamKey, revision: revision, tag: tag, id: event.id)
        headPosition = position
        headHash = hash
        lastRecordedAt = at
    }

    /// The index entries of the record at `position`: stream, type and event id.
    private func writeIndexes(position: UInt64, streamKey: UInt64, revision: UInt64, tag: UInt32, id: UUID) throws {
        try LedgerKeys.withPositionKey(position) { positionValue in
            try LedgerKeys.withStreamRevisionKey(streamKey, revision) { key in
                try txn.put(store.streams, key: key, value: positionValue)
            }
            try LedgerKeys.withTypeKey(tag, position) { key in
                try txn.put(store.types, key: key, value: UnsafeRawBufferPointer(start: nil, count: 0))
            }
            try LedgerKeys.withIDKey(id) { key in
                do {
                    try txn.put(store.eventIDs, key: key, value: positionValue, flags: .noOverwrite)
                } catch let error as LMDBError where error.code == .keyExists && !probesIDs {
                    throw StoredIDFound()
                }
            }
        }
    }

    // MARK: - Copying a record

    /// The position and chain hash of the newest record, as this transaction sees it.
    var head: (position: UInt64, hash: ChainHash) { (headPosition, headHash) }

    /// Writes a record of another ledger exactly as it was stored there: its canonical bytes
    /// (``EnvelopeLayout``) with its position, stream key, revision, type tag, id and times,
    /// chained onto this ledger's head. `stream` and `eventType` are the names the record's key and
    /// tag stand for; this ledger must use them for the same key and tag, or not at all yet.
    /// The record's chain hash must be SHA-256 of this ledger's head hash and its canonical bytes.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` naming the position when the record does not
    ///   continue this ledger: another position, revision, key or tag, an earlier recorded-at, a
    ///   chain hash that does not follow, or an id already stored.
    mutating func copy(_ header: EventRecord, stream: String, eventType: String, cursor: inout LMDBCursor) throws {
        let position = header.position
        func refuse(_ reason: String) -> LedgerError {
            LedgerError(.invalidRequest, "record at position \(position) (\(eventType), stream '\(stream)') cannot be copied: \(reason); nothing was written", stream: stream, position: position)
        }
        guard position == headPosition + 1 else { throw refuse("this ledger's next position is \(headPosition + 1)") }
        guard header.recordedAt >= lastRecordedAt else { throw refuse("its recorded-at is earlier than the record before it") }
        let hash = ChainHasher.next(previous: headHash, canonical: header.canonicalBytes)
        guard hash == header.chainHash else {
            throw refuse("its chain hash is \(header.chainHash.hex), but SHA-256 of this ledger's head hash and its canonical bytes is \(hash.hex)")
        }
        // Everything is checked before anything is written, so a refused record leaves nothing.
        // The type tag.
        let knownTag = try existingTypeTag(eventType)
        if let tag = knownTag {
            guard tag == header.typeTag else { throw refuse("type \(eventType) has tag \(tag) here, the record says \(header.typeTag)") }
        } else if let name = try typeTags.name(of: header.typeTag) ?? storedTypeName(header.typeTag) {
            throw refuse("tag \(header.typeTag) already stands for type \(name) here")
        }
        // The stream key and revision.
        let known = try streamState(stream)
        if let known {
            guard known.key == header.streamKey else { throw refuse("stream '\(stream)' has key \(known.key) here, the record says \(header.streamKey)") }
            let next = known.revision.map { $0 + 1 } ?? 0
            guard header.streamRevision == next else { throw refuse("the stream's next revision is \(next), the record says \(header.streamRevision)") }
        } else {
            guard header.streamRevision == 0 else { throw refuse("stream '\(stream)' has no events here, the record says revision \(header.streamRevision)") }
            let taken = try withUnsafeBytes(of: header.streamKey.bigEndian) { try txn.get(store.streamKeys, key: $0) }
            if let taken { throw refuse("stream key \(header.streamKey) already stands for '\(String(decoding: taken, as: UTF8.self))' here") }
        }
        // The id.
        if try isStored(header.id) { throw refuse("event id \(UUIDText.lowercase(header.id)) is already stored") }

        if knownTag == nil {
            try withUnsafeBytes(of: header.typeTag.bigEndian) { try putMeta(MetaKey.typeKey(eventType), Array($0)) }
            try putMeta(MetaKey.tagKey(header.typeTag), Array(eventType.utf8))
            typeTags.add(name: eventType, tag: header.typeTag)
            newTypeTags.append((eventType, header.typeTag))
            let last = try lastTypeTag ?? storedLastTypeTag()
            lastTypeTag = max(last, header.typeTag)
        }
        var state: StreamState
        if let known {
            state = known
        } else {
            try withUnsafeBytes(of: header.streamKey.bigEndian) { keyBytes in
                try Array(stream.utf8).withUnsafeBytes { try txn.put(store.streamKeys, key: keyBytes, value: $0, flags: .noOverwrite) }
            }
            nextStreamKey = nextStreamKey.map { max($0, header.streamKey + 1) }
            state = StreamState(key: header.streamKey, revision: nil, dirty: false)
        }
        try LedgerKeys.withPositionKey(position) { key in
            try cursor.reserve(key: key, count: header.storedBytes.count, flags: .append) { space in
                space.copyMemory(from: header.storedBytes)
            }
        }
        do {
            try writeIndexes(position: position, streamKey: header.streamKey, revision: header.streamRevision, tag: header.typeTag, id: header.id)
        } catch is StoredIDFound {
            throw refuse("event id \(header.id.uuidString.lowercased()) is already stored")
        }
        state.revision = header.streamRevision
        markDirty(stream, &state)
        streams[stream] = state
        headPosition = position
        headHash = hash
        lastRecordedAt = header.recordedAt
    }

    private func storedTypeName(_ tag: UInt32) throws -> String? {
        try MetaKey.tagKey(tag).withUnsafeBytes { try txn.get(store.meta, key: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    private func storedLastTypeTag() throws -> UInt32 {
        try Array(MetaKey.lastTypeTag.utf8).withUnsafeBytes { try txn.get(store.meta, key: $0) }.flatMap { LedgerKeys.uint32($0) } ?? 0
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
        return StreamState(key: key, revision: nil, dirty: false)
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
        } else {
            last = try storedLastTypeTag()
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
