public import Accountability
public import EventLedger
public import Foundation

/// The simulated program regrouped into appends of at least `eventsPerCommit` events (several
/// simulated days, one stream append per mentorship), for the append benchmarks.
public enum LedgerBatches {
    public static func make(_ config: SimulationConfig, eventsPerCommit: Int) throws -> [[StreamAppend]] {
        var batches: [[StreamAppend]] = []
        var current: [String: [ProposedEvent]] = [:]
        var order: [String] = []
        var count = 0
        func flush() {
            guard count > 0 else { return }
            batches.append(order.map { StreamAppend(stream: $0, expectedRevision: .any, events: current[$0] ?? []) })
            current.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            count = 0
        }
        try ProgramSimulator(config).run { day in
            for append in day.appends {
                if current[append.stream] == nil { order.append(append.stream) }
                current[append.stream, default: []] += append.events
                count += append.events.count
            }
            if count >= eventsPerCommit { flush() }
        }
        flush()
        return batches
    }

    /// Appends `batches` into a new ledger in `directory` with full durability; returns the events.
    public static func append(_ batches: [[StreamAppend]], into directory: URL) throws -> Int {
        let ledger = try Ledger(directory: directory, registry: try .accountability())
        defer { ledger.close() }
        var written = 0
        for batch in batches {
            try ledger.append(batch)
            written += batch.reduce(0) { $0 + $1.events.count }
        }
        return written
    }
}
