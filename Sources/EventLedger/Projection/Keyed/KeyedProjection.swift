/// A read model kept as rows by key — per goal, per pair, per participant — so a host can store
/// it in the ledger, catch it up by the rows new events touch, and answer one key without
/// holding the rest.
///
/// A keyed projection names the event types it reads, decodes each record it is given, and
/// applies the event to the rows it concerns through ``ProjectionRows``, which hands out rows by
/// key (loading them on demand when the projection is persisted):
///
/// ```swift
/// struct MinutesPerMentor: KeyedProjection {
///     var name: String { "minutes-per-mentor" }
///     var eventTypes: [String] { [SessionHeld.eventType] }
///     func decode(typeIndex: Int, record: EventRecord) throws -> SessionHeld { ... }
///     func apply(_ event: SessionHeld, record: EventRecord, to rows: inout ProjectionRows<MinutesRow>) throws {
///         var key = RowKey(kind: 1)
///         key.append(event.mentor)
///         try rows.update(key, default: MinutesRow(minutes: 0)) { $0.minutes += Int64(event.minutes) }
///     }
/// }
/// ```
///
/// Run it in memory with ``Ledger/replay(keyed:_:)`` (time travel, read-only ledgers) or keep it
/// in the ledger with ``PersistentProjection``; both run the same `apply`, so both give the same
/// rows. Like ``Projection``, it must be a pure function of the events.
public protocol KeyedProjection: Sendable {
    /// What ``decode(typeIndex:record:)`` produces.
    associatedtype Event
    /// The value kept per key.
    associatedtype Row: ProjectionRow

    /// A stable name: where the projection's rows and checkpoint are kept (1 to 200 UTF-8
    /// bytes, no NUL).
    var name: String { get }
    /// The definition's version. Bump it when ``apply(_:record:to:)`` or the row's encoding
    /// changes: rows written by another version are rebuilt aside and swapped in. Default: 1.
    var version: UInt32 { get }
    /// The type names this projection reads, in a fixed order; ``decode(typeIndex:record:)``
    /// receives the index of the record's type in this list.
    var eventTypes: [String] { get }
    /// Decodes a record whose type is `eventTypes[typeIndex]`.
    func decode(typeIndex: Int, record: EventRecord) throws -> Event
    /// Applies one event to the rows it changes.
    func apply(_ event: Event, record: EventRecord, to rows: inout ProjectionRows<Row>) throws
}

extension KeyedProjection {
    public var version: UInt32 { 1 }
}
