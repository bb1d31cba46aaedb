import Accountability
public import EventLedger
import Foundation

/// Events from the seeded simulator, flattened in the order the simulator produced them, for the
/// append benchmarks of the `LedgerBenchmarks` suite: regrouped into commits of an exact size
/// (``commits(_:eventsPerCommit:commits:)``) or taken one at a time.
public struct AppendPool: Sendable {
    /// One event and the stream it belongs to.
    public struct Entry: Sendable {
        public let stream: String
        public let event: ProposedEvent
    }

    /// The events, in simulation order.
    public let entries: [Entry]

    /// At least `count` events (fewer only if the simulation runs out first) from a simulation
    /// of about `count` events, with its own seed so it differs from the replay workloads.
    public init(count: Int, seed: UInt64 = 2) throws {
        // About 66 events per mentorship over 6 months (see `Workload.config`); a quarter more
        // mentorships so the first months already give `count` events.
        let config = SimulationConfig(seed: seed, mentorships: max(1, count / 66 + count / 264 + 1), months: 6)
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        do {
            try ProgramSimulator(config).run { day in
                for append in day.appends {
                    for event in append.events { entries.append(Entry(stream: append.stream, event: event)) }
                }
                if entries.count >= count { throw Enough() }
            }
        } catch is Enough {
            // Stopped early on purpose.
        }
        self.entries = entries
    }

    private struct Enough: Error {}

    /// `commits` appends of exactly `eventsPerCommit` events each (fewer commits if the pool runs
    /// out): consecutive events of the pool, one `StreamAppend` per stream within a commit
    /// (each stream's events in order), expected revision `.any`.
    public func commits(eventsPerCommit: Int, commits: Int) -> [[StreamAppend]] {
        let perCommit = max(1, eventsPerCommit)
        var result: [[StreamAppend]] = []
        var start = 0
        while result.count < commits, start + perCommit <= entries.count {
            var order: [String] = []
            var byStream: [String: [ProposedEvent]] = [:]
            for entry in entries[start..<(start + perCommit)] {
                if byStream[entry.stream] == nil { order.append(entry.stream) }
                byStream[entry.stream, default: []].append(entry.event)
            }
            result.append(order.map { StreamAppend(stream: $0, expectedRevision: .any, events: byStream[$0] ?? []) })
            start += perCommit
        }
        return result
    }
}

extension [[StreamAppend]] {
    /// The events in these commits.
    public var eventCount: Int { reduce(0) { $0 + $1.reduce(0) { $0 + $1.events.count } } }
}
