public import EventLedger

/// A sample projection over ``SampleEvent`` and ``AmountRecorded``: counts, sums, and a checksum
/// of every position and value folded, so two states are equal only if they saw the same events.
public struct SampleTally: Projection {
    /// The folded state.
    public struct State: Codable, Hashable, Sendable {
        public var samples = 0
        public var sequenceSum: UInt64 = 0
        public var amountSum: Int64 = 0
        public var lastPosition: UInt64 = 0
        public var checksum: UInt64 = 0xCBF2_9CE4_8422_2325
        public init() {}
    }

    public enum Event {
        case sample(SampleEvent)
        case amount(AmountRecorded)
    }

    public var version: UInt32
    public var name: String

    public init(name: String = "sample-tally", version: UInt32 = 1) {
        self.name = name
        self.version = version
    }

    public var initialState: State { State() }
    public var eventTypes: [String] { [SampleEvent.eventType, AmountRecorded.eventType] }

    public func decode(typeIndex: Int, record: EventRecord) throws -> Event {
        var reader = EventPayloadReader(record.payload)
        switch typeIndex {
        case 0: return .sample(try SampleEvent(payload: &reader, schemaVersion: record.schemaVersion))
        default: return .amount(try AmountRecorded(payload: &reader, schemaVersion: record.schemaVersion))
        }
    }

    public func apply(_ event: Event, record: EventRecord, to state: inout State) {
        var value: UInt64
        switch event {
        case .sample(let e):
            state.samples += 1
            state.sequenceSum &+= e.sequence
            value = e.sequence
        case .amount(let e):
            state.amountSum &+= e.amount
            value = UInt64(bitPattern: e.amount)
        }
        // Version 2 folds differently, so a rebuild is visible in the state.
        if version >= 2 { value &+= 1 }
        state.lastPosition = record.position
        state.checksum = (state.checksum ^ record.position) &* 0x100_0000_01B3
        state.checksum = (state.checksum ^ value) &* 0x100_0000_01B3
    }
}
