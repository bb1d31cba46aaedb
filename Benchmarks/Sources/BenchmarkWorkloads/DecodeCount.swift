public import Accountability
public import EventLedger

/// Replay with decoding only: every built-in event decoded, a trivial fold (a count).
public struct DecodeCount: AccountabilityProjection {
    public init() {}
    public var name: String { "bench.decode-count" }
    public var initialState: Int { 0 }
    @inlinable
    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout Int) { state &+= 1 }
}
