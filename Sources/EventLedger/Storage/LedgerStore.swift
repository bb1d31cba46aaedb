import LMDBKit

/// The LMDB environment of a ledger and the handles of its named databases (README, Storage layout).
///
/// | database | key | value |
/// |---|---|---|
/// | `events` | position, UInt64 big-endian | the record (``EnvelopeLayout``) |
/// | `streams` | stream key + revision, big-endian | position, big-endian |
/// | `stream-names` | stream name, UTF-8 | stream key + current revision, big-endian |
/// | `stream-keys` | stream key, big-endian | stream name, UTF-8 |
/// | `types` | type tag (UInt32) + position, big-endian | empty |
/// | `event-ids` | event id, 16 bytes | position, big-endian |
/// | `checkpoints` | projection name | projection checkpoint |
/// | `meta` | text keys (``MetaKey``) | format version, ledger id, created-at, head, type registry |
struct LedgerStore: Sendable {
    static let databaseNames = ["events", "streams", "stream-names", "stream-keys", "types", "event-ids", "checkpoints", "meta"]

    let environment: LMDBEnvironment
    let events: LMDBDatabase
    let streams: LMDBDatabase
    let streamNames: LMDBDatabase
    let streamKeys: LMDBDatabase
    let types: LMDBDatabase
    let eventIDs: LMDBDatabase
    let checkpoints: LMDBDatabase
    let meta: LMDBDatabase

    init(environment: LMDBEnvironment) throws {
        self.environment = environment
        events = try environment.database("events")
        streams = try environment.database("streams")
        streamNames = try environment.database("stream-names")
        streamKeys = try environment.database("stream-keys")
        types = try environment.database("types")
        eventIDs = try environment.database("event-ids")
        checkpoints = try environment.database("checkpoints")
        meta = try environment.database("meta")
    }
}
