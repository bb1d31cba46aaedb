import Accountability
import EventLedger

/// ``AccountabilityModels`` folded in memory, reporting the position reached every 65,536
/// events for a progress bar.
struct ObservedModels: KeyedProjection {
    let base: AccountabilityModels
    let progress: @Sendable (UInt64) -> Void

    init(settling: RecordSettling, progress: @escaping @Sendable (UInt64) -> Void) {
        base = AccountabilityModels(settling: settling)
        self.progress = progress
    }

    var name: String { base.name }
    var version: UInt32 { base.version }
    var eventTypes: [String] { base.eventTypes }

    func decode(typeIndex: Int, record: EventRecord) throws -> AccountabilityEvent {
        try base.decode(typeIndex: typeIndex, record: record)
    }

    func apply(_ event: AccountabilityEvent, record: EventRecord, to rows: inout ProjectionRows<AccountabilityRow>) throws {
        try base.apply(event, record: record, to: &rows)
        if record.position & 0xFFFF == 0 { progress(record.position) }
    }
}
