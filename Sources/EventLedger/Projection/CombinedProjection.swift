/// Two projections over the same events, folded in one pass: each event is decoded once (by the
/// first) and applied to both. Nest it to fold more: `CombinedProjection(CombinedProjection(a, b), c)`.
///
/// Both must read the same ``Projection/eventTypes`` in the same order with the same `Event`
/// type, so one decode serves both.
public struct CombinedProjection<First: Projection, Second: Projection>: Projection where First.Event == Second.Event {
    /// Both states.
    public struct State {
        /// The first projection's state.
        public var first: First.State
        /// The second projection's state.
        public var second: Second.State

        /// Creates a combined state.
        public init(first: First.State, second: Second.State) {
            self.first = first
            self.second = second
        }
    }

    /// The first projection (it decodes).
    public let first: First
    /// The second projection.
    public let second: Second

    /// Combines two projections.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when they read different event types.
    public init(_ first: First, _ second: Second) throws {
        guard first.eventTypes == second.eventTypes else {
            throw LedgerError(.invalidRequest, "projections '\(first.name)' and '\(second.name)' read different event types and cannot share one decode")
        }
        self.first = first
        self.second = second
    }

    public var name: String { "\(first.name)+\(second.name)" }
    /// Derived from both versions (mixed through a 64-bit hash), so changing either one rebuilds.
    public var version: UInt32 {
        var x = UInt64(first.version) << 32 | UInt64(second.version)
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt32(truncatingIfNeeded: x ^ (x >> 31))
    }
    public var initialState: State { State(first: first.initialState, second: second.initialState) }
    public var eventTypes: [String] { first.eventTypes }

    @inlinable
    public func decode(typeIndex: Int, record: EventRecord) throws -> First.Event {
        try first.decode(typeIndex: typeIndex, record: record)
    }

    @inlinable
    public func apply(_ event: First.Event, record: EventRecord, to state: inout State) throws {
        try first.apply(event, record: record, to: &state.first)
        try second.apply(event, record: record, to: &state.second)
    }
}

extension CombinedProjection.State: Sendable where First.State: Sendable, Second.State: Sendable {}
extension CombinedProjection.State: Equatable where First.State: Equatable, Second.State: Equatable {}
extension CombinedProjection.State: Hashable where First.State: Hashable, Second.State: Hashable {}
extension CombinedProjection.State: Encodable where First.State: Encodable, Second.State: Encodable {}
extension CombinedProjection.State: Decodable where First.State: Decodable, Second.State: Decodable {}
