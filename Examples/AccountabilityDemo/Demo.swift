import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `make demo`: simulates a mentoring program into a new ledger and prints what it holds.
@main
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accountability-demo",
        abstract: "Simulate a mentoring program into a ledger and summarise it."
    )

    @Option(help: "How many mentorships to simulate.")
    var mentorships = 200

    @Option(help: "How many months (of 30 days) the program runs.")
    var months = 6

    @Option(help: "The simulation seed: the same seed gives the same ledger, byte for byte.")
    var seed: UInt64 = 1

    @Option(help: "An empty or missing directory for the ledger (default: a new temporary directory).")
    var directory: String?

    mutating func run() throws {
        let url = try ledgerDirectory()
        let config = SimulationConfig(seed: seed, mentorships: mentorships, months: months)
        let simulator = try ProgramSimulator(config)
        let clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        let ledger = try Ledger(directory: url, registry: try .accountability(), options: options)
        defer { ledger.close() }

        print("Simulating \(mentorships) mentorships over \(months) months (seed \(seed))")
        print("Ledger: \(url.path)")
        let started = Date()
        let report = try simulator.write(into: ledger, clock: clock)
        let seconds = Date().timeIntervalSince(started)

        print("")
        print("Events by type")
        for type in AccountabilityEvent.allTypes.map({ $0.eventType }) {
            let count = report.eventsByType[type, default: 0]
            print("  \(type.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(count).leftPadded(to: 8))")
        }
        print("  \("total".padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(report.eventCount).leftPadded(to: 8))")
        print("")
        print("Last position: \(report.head.position)")
        print("Head hash:     \(report.head.hash.hex)")
        print("Written in \(String(format: "%.2f", seconds)) s")

        // "Today" is the simulated program's last day, at its close.
        let today = config.start.adding(seconds: Double(config.days) * 86_400 - 1)
        try ReadModelSummary(ledger: ledger, asOf: today).print(asOf: today)
    }

    /// The directory to write to: the one given (which must be empty or missing), or a new one.
    private func ledgerDirectory() throws -> URL {
        let manager = FileManager.default
        guard let directory else {
            return manager.temporaryDirectory.appendingPathComponent("accountability-demo-\(UUID().uuidString.prefix(8).lowercased())")
        }
        let url = URL(fileURLWithPath: directory)
        if manager.fileExists(atPath: url.path) {
            let contents = try manager.contentsOfDirectory(atPath: url.path)
            guard contents.isEmpty else {
                throw ValidationError("--directory '\(directory)' is not empty; give an empty or missing directory so the demo starts from nothing")
            }
        }
        return url
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
