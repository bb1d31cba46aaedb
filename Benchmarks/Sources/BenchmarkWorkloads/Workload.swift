public import Foundation
import Accountability
public import EventLedger
import LMDBKit

/// A seeded simulated program written into a ledger, kept between runs under
/// `Benchmarks/.workloads/` so a 10M-event log is generated once.
public struct Workload: Sendable {
    /// The ledger directory.
    public let directory: URL
    /// The events it holds.
    public let events: Int
    /// The simulation it came from.
    public let config: SimulationConfig

    /// About 11 events per mentorship and month come out of the simulator, so 6 months of
    /// `events / 66` mentorships give about `events` events.
    public static func config(events: Int, seed: UInt64 = 1) -> SimulationConfig {
        SimulationConfig(seed: seed, mentorships: max(1, events / 66), months: 6)
    }

    /// The workload of about `events` events, built on first use under `root`.
    public static func prepare(events: Int, root: URL, log: (String) -> Void) throws -> Workload {
        try prepare(config: config(events: events), root: root, log: log)
    }

    /// The workload of `config`, built on first use under `root`.
    public static func prepare(config: SimulationConfig, root: URL, log: (String) -> Void) throws -> Workload {
        let directory = root.appendingPathComponent("program-\(config.mentorships)x\(config.months)-seed\(config.seed)")
        let marker = directory.appendingPathComponent("complete")
        if !FileManager.default.fileExists(atPath: marker.path) {
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            log("generating \(config.mentorships) mentorships × \(config.months) months into \(directory.path) …")
            let clock = ManualClock(config.start)
            var options = LedgerOptions()
            options.clock = clock
            options.durability = .noSync
            let ledger = try Ledger(directory: directory, registry: try .accountability(), options: options)
            try ProgramSimulator(config).write(into: ledger, clock: clock)
            ledger.close()
            try Data().write(to: marker)
        }
        let ledger = try Ledger(directory: directory, registry: try .accountability(), options: readOnly())
        defer { ledger.close() }
        return Workload(directory: directory, events: Int(try ledger.head().position), config: config)
    }

    /// Options for opening a workload read-only.
    public static func readOnly() -> LedgerOptions {
        var options = LedgerOptions()
        options.readOnly = true
        return options
    }
}
