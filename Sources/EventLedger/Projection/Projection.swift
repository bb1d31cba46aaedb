/// A fold of the log into a state: a read model.
///
/// A projection names the event types it reads, decodes each one it is given, and applies it to
/// its state. It sees the decoded event and the stored record, whose envelope fields (position,
/// stream key, revision, recorded-at, occurred-at, actor, id) read straight from the map:
///
/// ```swift
/// struct CountPerStream: Projection {
///     var name: String { "count-per-stream" }
///     var eventTypes: [String] { [SampleEvent.eventType] }
///     var initialState: [UInt64: Int] { [:] }
///     func decode(typeIndex: Int, record: EventRecord) throws -> Void {}
///     func apply(_ event: Void, record: EventRecord, to state: inout [UInt64: Int]) {
///         state[record.streamKey, default: 0] += 1
///     }
/// }
/// let counts = try ledger.replay(CountPerStream()).state
/// ```
///
/// Replay is generic: a projection is called directly, with no existential and no allocation per
/// event beyond what its own `decode` and `apply` do. Records of types outside ``eventTypes`` are
/// skipped by their type tag before anything is decoded.
///
/// A projection must be a pure function of the events: the same log gives the same state. Time
/// belongs to the events (recorded-at, occurred-at) or to an explicit as-of parameter, never the
/// wall clock.
public protocol Projection: Sendable {
    /// What ``decode(typeIndex:record:)`` produces.
    associatedtype Event
    /// The folded state.
    associatedtype State

    /// A stable name: the key of the projection's checkpoint (1 to 200 UTF-8 bytes).
    var name: String { get }
    /// The definition's version. Bump it when ``apply(_:record:to:)`` changes meaning: a
    /// checkpoint written by another version is rebuilt. Default: 1.
    var version: UInt32 { get }
    /// The state before any event.
    var initialState: State { get }
    /// The type names this projection reads, in a fixed order; ``decode(typeIndex:record:)``
    /// receives the index of the record's type in this list.
    var eventTypes: [String] { get }
    /// Decodes a record whose type is `eventTypes[typeIndex]`.
    func decode(typeIndex: Int, record: EventRecord) throws -> Event
    /// Applies one event.
    func apply(_ event: Event, record: EventRecord, to state: inout State) throws
}

extension Projection {
    public var version: UInt32 { 1 }
}
