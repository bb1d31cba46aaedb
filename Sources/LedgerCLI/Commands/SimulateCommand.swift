import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger simulate DIR`: a seeded, simulated program, to try the other commands on.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a mentoring program into a new ledger (for trying the other commands).",
        discussion: "Each day is recorded at its close on a simulated clock, so time travel by --as-of works on the result. The same seed writes the same ledger."
    )

    @OptionGroup var location: LedgerLocation

    @Option(help: "How many mentorships.")
    var mentorships = 200

    @Option(help: "How many months (of 30 days).")
    var months = 6

    @Option(help: "The seed.")
    var seed: UInt64 = 1

    @Option(help: "Write the program's admins to this JSON file (for `import --admins-file`).")
    var adminsFile: String?

    func run() throws {
        if FileManager.default.fileExists(atPath: location.url.appendingPathComponent("data.mdb").path) {
            throw ToolError("'\(location.directory)' already holds a ledger; simulate writes a new one")
        }
        let config = SimulationConfig(seed: seed, mentorships: mentorships, months: months)
        let simulator = try ProgramSimulator(config)
        let clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        let ledger = try Ledger(directory: location.url, registry: try .accountability(), options: options)
        defer { ledger.close() }
        let bar = ProgressBar("simulating", total: UInt64(config.days))
        let report = try simulator.write(into: ledger, clock: clock) { bar.update(UInt64($0 + 1), unit: "days") }
        bar.finish(UInt64(config.days), unit: "days")
        if let adminsFile {
            try Data(AdminOptions.json(simulator.admins).utf8).write(to: URL(fileURLWithPath: adminsFile))
        }
        try StandardStreams.print("simulated \(mentorships) mentorships over \(months) months: \(report.eventCount) events; head \(report.head.position) \(report.head.hash.hex)")
        try StandardStreams.print("program \(simulator.program.uuidString.lowercased())  admin \(simulator.admin.uuidString.lowercased())  system \(simulator.systemAccount.uuidString.lowercased())")
    }
}
