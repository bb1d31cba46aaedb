public import EventLedger

/// A sample keyed projection over ``SampleEvent`` and ``AmountRecorded``: one row per stream
/// (kind 1, stream key) with its counts, sums and a checksum of the positions and values folded,
/// and one row for the whole log (kind 0). Two sets of rows are equal only if they saw the same
/// events. Version 2 folds differently, so a rebuild is visible in the rows.
public struct SampleStreamTotals: KeyedProjection {
    /// One row.
    public struct Row: ProjectionRow, Hashable {
        public var events: UInt64 = 0
        public var sequenceSum: UInt64 = 0
        public var amountSum: Int64 = 0
        public var lastPosition: UInt64 = 0
        public var checksum: UInt64 = 0xCBF2_9CE4_8422_2325

        public init() {}

        public func encode(into writer: inout EventPayloadWriter) {
            writer.write(events)
            writer.write(sequenceSum)
            writer.write(amountSum)
            writer.write(lastPosition)
            writer.write(checksum)
        }

        public init(decoding reader: inout EventPayloadReader) throws {
            events = try reader.readUInt64()
            sequenceSum = try reader.readUInt64()
            amountSum = try reader.readInt64()
            lastPosition = try reader.readUInt64()
            checksum = try reader.readUInt64()
        }

        mutating func fold(position: UInt64, value: UInt64) {
            events += 1
            lastPosition = position
            checksum = (checksum ^ position) &* 0x100_0000_01B3
            checksum = (checksum ^ value) &* 0x100_0000_01B3
        }
    }

    public var name: String
    public var version: UInt32
    /// A position whose event makes `apply` throw (to interrupt a fold), or nil.
    public var failAt: UInt64?

    public init(name: String = "sample-stream-totals", version: UInt32 = 1, failAt: UInt64? = nil) {
        self.name = name
        self.version = version
        self.failAt = failAt
    }

    /// The key of a stream's row.
    public static func streamKey(_ stream: UInt64) -> RowKey {
        var key = RowKey(kind: 1)
        key.append(stream)
        return key
    }

    /// The key of the whole log's row.
    public static let totalKey = RowKey(kind: 0)

    public var eventTypes: [String] { [SampleEvent.eventType, AmountRecorded.eventType] }

    public func decode(typeIndex: Int, record: EventRecord) throws -> SampleTally.Event {
        var reader = EventPayloadReader(record.payload)
        switch typeIndex {
        case 0: return .sample(try SampleEvent(payload: &reader, schemaVersion: record.schemaVersion))
        default: return .amount(try AmountRecorded(payload: &reader, schemaVersion: record.schemaVersion))
        }
    }

    public func apply(_ event: SampleTally.Event, record: EventRecord, to rows: inout ProjectionRows<Row>) throws {
        if record.position == failAt { throw LedgerError(.invalidRequest, "failing at \(record.position) as asked") }
        var value: UInt64
        var sequence: UInt64 = 0, amount: Int64 = 0
        switch event {
        case .sample(let e): value = e.sequence; sequence = e.sequence
        case .amount(let e): value = UInt64(bitPattern: e.amount); amount = e.amount
        }
        if version >= 2 { value &+= 1 }
        for key in [Self.streamKey(record.streamKey), Self.totalKey] {
            try rows.update(key, default: Row()) { row in
                row.sequenceSum &+= sequence
                row.amountSum &+= amount
                row.fold(position: record.position, value: value)
            }
        }
    }
}
