public import Foundation
import LMDBKit

/// A consistent snapshot of the ledger, for the duration of a ``Ledger/read(_:)`` closure.
///
/// Everything read through one reader comes from the same moment: appends committed meanwhile are
/// not seen, and reads never block the writer. Records and cursors are valid only inside the
/// closure; copy what must outlive it with ``recordedEvent(_:)`` or ``events(_:limit:)``.
public struct LedgerReader {
    let txn: LMDBReadTransaction
    let store: LedgerStore
    let typeTags: TypeTagTable
    /// The event types this ledger was opened with.
    public let registry: EventTypeRegistry
    /// ``LedgerOptions/scanResidentLimit``.
    let scanResidentLimit: Int

    init(txn: LMDBReadTransaction, store: LedgerStore, typeTags: TypeTagTable, registry: EventTypeRegistry, scanResidentLimit: Int) {
        self.txn = txn
        self.store = store
        self.typeTags = typeTags
        self.registry = registry
        self.scanResidentLimit = scanResidentLimit
    }

    // MARK: - Head and single events

    /// The newest position, its chain hash and its recorded-at time, as of this snapshot.
    public func head() throws -> LedgerHead {
        try txn.withCursor(store.events) { cursor in
            guard let (key, value) = try cursor.last() else {
                return LedgerHead(position: 0, hash: .genesis, recordedAt: nil)
            }
            guard key.count == 8, let position = LedgerKeys.uint64(key) else {
                throw LedgerError(.corruptRecord, "the events database holds a key of \(key.count) bytes")
            }
            let record = try EventRecord(validating: value, at: position)
            return LedgerHead(position: position, hash: record.chainHash, recordedAt: record.recordedAt)
        }
    }

    /// The record at `position`, or `nil` when the log is shorter.
    public func event(at position: UInt64) throws -> EventRecord? {
        guard let bytes = try LedgerKeys.withPositionKey(position, { try txn.get(store.events, key: $0) }) else { return nil }
        return try EventRecord(validating: bytes, at: position)
    }

    /// The position of the event with `id`, or `nil` when it is not stored.
    public func position(ofEventID id: UUID) throws -> UInt64? {
        try LedgerKeys.withIDKey(id) { try txn.get(store.eventIDs, key: $0) }.flatMap { LedgerKeys.uint64($0) }
    }

    /// The number of events in the log.
    public func eventCount() throws -> Int { try txn.entryCount(store.events) }

    // MARK: - Queries

    /// Runs `body` with a cursor over the events `query` selects.
    public func withEvents<R>(_ query: EventQuery, _ body: (inout EventCursor) throws -> R) throws -> R {
        var limit = query.throughPosition ?? .max
        if let time = query.recordedAtOrBefore {
            limit = min(limit, try lastPosition(recordedAtOrBefore: time))
        }
        let mode: EventCursor.Mode
        let database: LMDBDatabase
        switch query.selection {
        case .all:
            mode = .log
            database = store.events
        case .stream(let name):
            database = store.streams
            if let key = try streamKey(of: name) { mode = .stream(key: key) } else { mode = .empty }
        case .type(let name):
            database = store.types
            if let tag = try typeTag(of: name) { mode = .type(tag: tag) } else { mode = .empty }
        }
        return try txn.withCursor(database) { index in
            var cursor = EventCursor(index: index, txn: txn, events: store.events, mode: mode,
                                     direction: query.direction, start: query.start, limit: limit,
                                     residentLimit: scanResidentLimit)
            return try body(&cursor)
        }
    }

    /// Calls `body` with every record `query` selects, in order.
    public func forEach(_ query: EventQuery, _ body: (EventRecord) throws -> Void) throws {
        try withEvents(query) { cursor in
            while let record = try cursor.next() { try body(record) }
        }
    }

    /// Owned copies of at most `limit` records `query` selects.
    public func events(_ query: EventQuery, limit: Int = .max) throws -> [RecordedEvent] {
        var result: [RecordedEvent] = []
        try withEvents(query) { cursor in
            while result.count < limit, let record = try cursor.next() {
                result.append(try recordedEvent(record))
            }
        }
        return result
    }

    /// The last position recorded at or before `time` (0 when none is), found by binary search:
    /// recorded-at never decreases along the log.
    public func lastPosition(recordedAtOrBefore time: Timestamp) throws -> UInt64 {
        let head = try head()
        guard let newest = head.recordedAt else { return 0 }
        if newest <= time { return head.position }
        var low: UInt64 = 0             // known to be at or before `time` (0: nothing)
        var high: UInt64 = head.position // known to be after `time`
        while high - low > 1 {
            let middle = low + (high - low) / 2
            guard let record = try event(at: middle) else {
                throw LedgerError(.corruptRecord, "position \(middle) is missing from the log", position: middle)
            }
            if record.recordedAt <= time { low = middle } else { high = middle }
        }
        return low
    }

    // MARK: - Streams

    /// The revision of a stream's last event, or `nil` when it has none.
    public func streamRevision(of stream: String) throws -> UInt64? {
        try streamEntry(stream).map { $0.revision }
    }

    /// The names of every stream with their current revision, sorted by name.
    public func streams() throws -> [(name: String, revision: UInt64)] {
        var result: [(String, UInt64)] = []
        try txn.withCursor(store.streamNames) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                if let name = String(validating: key, as: UTF8.self), let revision = LedgerKeys.uint64(value, at: 8) {
                    result.append((name, revision))
                }
                entry = try cursor.next()
            }
        }
        return result
    }

    /// The name of the stream with internal key `key` (as in ``EventRecord/streamKey``).
    public func streamName(forKey key: UInt64) throws -> String {
        guard let value = try txn.get(store.streamKeys, key: key), let name = String(validating: value, as: UTF8.self) else {
            throw LedgerError(.corruptRecord, "stream key \(key) has no name in stream-keys")
        }
        return name
    }

    /// The stream name of `record`.
    public func streamName(of record: EventRecord) throws -> String {
        do { return try streamName(forKey: record.streamKey) } catch let error as LedgerError {
            throw LedgerError(.corruptRecord, "record at position \(record.position): \(error.message)", position: record.position)
        }
    }

    func streamKey(of stream: String) throws -> UInt64? {
        try streamEntry(stream).map { $0.key }
    }

    private func streamEntry(_ stream: String) throws -> (key: UInt64, revision: UInt64)? {
        guard let value = try Array(stream.utf8).withUnsafeBytes({ try txn.get(store.streamNames, key: $0) }) else { return nil }
        guard let key = LedgerKeys.uint64(value, at: 0), let revision = LedgerKeys.uint64(value, at: 8) else {
            throw LedgerError(.corruptRecord, "the stream-names entry of '\(stream)' is damaged", stream: stream)
        }
        return (key, revision)
    }

    // MARK: - Types and decoding

    /// The tag this ledger gave `eventType`, or `nil` when no event of that type was ever stored.
    public func typeTag(of eventType: String) throws -> UInt32? {
        if let tag = typeTags.snapshot.tags[eventType] { return tag }
        guard let value = try MetaKey.typeKey(eventType).withUnsafeBytes({ try txn.get(store.meta, key: $0) }),
              let tag = LedgerKeys.uint32(value) else { return nil }
        typeTags.learn([(eventType, tag)])
        return tag
    }

    /// The type name of `record`.
    public func eventType(of record: EventRecord) throws -> String {
        guard let name = try typeTags.name(of: record.typeTag, in: txn, meta: store.meta) else {
            throw LedgerError(.corruptRecord, "record at position \(record.position) has type tag \(record.typeTag), which the ledger never assigned", position: record.position)
        }
        return name
    }

    /// Decodes `record`'s payload as `E`.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when the record is of another type;
    ///   ``LedgerError/Code/corruptRecord`` naming the position when the payload does not decode.
    public func decode<E: LedgerEvent>(_ record: EventRecord, as type: E.Type) throws -> E {
        guard try typeTag(of: E.eventType) == record.typeTag else {
            throw LedgerError(.invalidRequest, "record at position \(record.position) is a \(try eventType(of: record)), not a \(E.eventType)", position: record.position)
        }
        do {
            return try EventTypeRegistry.decode(E.self, record.payload, schemaVersion: record.schemaVersion)
        } catch {
            throw LedgerError(.corruptRecord, "payload of \(E.eventType) at position \(record.position) does not decode: \(error)", position: record.position)
        }
    }

    /// Decodes `record`'s payload with its registered type.
    ///
    /// - Throws: ``LedgerError/Code/unknownEventType`` when the type is not registered;
    ///   ``LedgerError/Code/corruptRecord`` naming the position when the payload does not decode.
    public func decodeEvent(_ record: EventRecord) throws -> any LedgerEvent {
        let name = try eventType(of: record)
        guard registry.isRegistered(name) else {
            throw LedgerError(.unknownEventType, "record at position \(record.position) is a \(name), which is not registered", position: record.position)
        }
        do {
            return try registry.decode(eventType: name, schemaVersion: record.schemaVersion, payload: record.payload)
        } catch {
            throw LedgerError(.corruptRecord, "payload of \(name) at position \(record.position) does not decode: \(error)", position: record.position)
        }
    }

    /// An owned copy of `record`, with its stream and type names resolved.
    public func recordedEvent(_ record: EventRecord) throws -> RecordedEvent {
        RecordedEvent(
            position: record.position,
            stream: try streamName(of: record),
            streamRevision: record.streamRevision,
            eventType: try eventType(of: record),
            schemaVersion: record.schemaVersion,
            id: record.id,
            recordedAt: record.recordedAt,
            occurredAt: record.occurredAt,
            actor: record.actor,
            correlationID: record.correlationID,
            causationID: record.causationID,
            payload: Array(record.payload),
            chainHash: record.chainHash,
            canonicalBytes: Array(record.canonicalBytes)
        )
    }
}
