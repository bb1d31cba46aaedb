import EventLedger

/// A projection that folds like `base` and reports the position reached every 65,536 events,
/// for a progress bar.
struct ObservedProjection<Base: Projection>: Projection {
    let base: Base
    let progress: @Sendable (UInt64) -> Void

    var name: String { base.name }
    var version: UInt32 { base.version }
    var initialState: ObservedState<Base.State> { ObservedState(base: base.initialState) }
    var eventTypes: [String] { base.eventTypes }

    func decode(typeIndex: Int, record: EventRecord) throws -> Base.Event {
        try base.decode(typeIndex: typeIndex, record: record)
    }

    func apply(_ event: Base.Event, record: EventRecord, to state: inout ObservedState<Base.State>) throws {
        try base.apply(event, record: record, to: &state.base)
        state.applied &+= 1
        if state.applied & 0xFFFF == 0 { progress(record.position) }
    }
}

/// The base state and a count of events applied.
struct ObservedState<Base> {
    var base: Base
    var applied: UInt64 = 0
}
