import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit

/// Helpers shared by the Progress, Commitment and Nudges read-model tests.
enum ReadModelTestSupport {
    /// A simulated program written into a fresh ledger in `directory`.
    static func simulatedLedger(in directory: TemporaryDirectory, seed: UInt64 = 1, mentorships: Int = 30, months: Int = 3) throws -> (Ledger, SimulationConfig) {
        let config = SimulationConfig(seed: seed, mentorships: mentorships, months: months)
        let simulator = try ProgramSimulator(config)
        let clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        options.durability = .noSync
        let ledger = try Ledger(directory: directory.child("sim"), registry: try .accountability(), options: options)
        _ = try simulator.write(into: ledger, clock: clock)
        return (ledger, config)
    }

    /// The value through a JSON encode/decode round trip.
    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(value))
    }

    /// Seconds in `days` days.
    static func seconds(days: Double) -> Double { days * 86_400 }
}
