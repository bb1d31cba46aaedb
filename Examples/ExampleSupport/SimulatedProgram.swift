public import Accountability
public import EventLedger
public import Foundation

/// A simulated mentoring program written into a new ledger in a new temporary directory.
///
/// The ledger holds the built-in event types and records on a `ManualClock` that the simulator
/// moves to each day's close, so the same arguments always give the same log, byte for byte.
/// ``close()`` closes the ledger and removes the directory.
///
/// ```swift
/// let program = try SimulatedProgram(arguments)
/// defer { program.close() }
/// let state = try program.ledger.replay(MyProjection()).state
/// ```
public final class SimulatedProgram {
    /// What was simulated.
    public let config: SimulationConfig
    /// The simulator (its program, admin and system account ids).
    public let simulator: ProgramSimulator
    /// The ledger holding the simulated events.
    public let ledger: Ledger
    /// The temporary directory of the ledger, named after the example.
    public let directory: URL
    /// What the simulation wrote.
    public let report: SimulationReport
    /// The name warnings on standard error start with.
    private let programName: String

    /// "Now" for the reports: the close of the program's last simulated day.
    public var asOf: Timestamp { config.start.adding(seconds: Double(config.days) * 86_400 - 1) }

    /// Simulates `arguments` into a new temporary ledger.
    ///
    /// - Parameter arguments: The mentorships, months and seed to simulate; their
    ///   ``ExampleArguments/programName`` names the temporary directory.
    /// - Throws: What opening the ledger or appending throws; the directory is removed first.
    public init(_ arguments: ExampleArguments) throws {
        programName = arguments.programName
        config = SimulationConfig(seed: arguments.seed, mentorships: arguments.mentorships, months: arguments.months)
        simulator = try ProgramSimulator(config)
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(arguments.programName)-\(UUID().uuidString.prefix(8).lowercased())")
        let clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        do {
            ledger = try Ledger(directory: directory, registry: try .accountability(), options: options)
        } catch {
            Self.remove(directory, programName: programName)
            throw error
        }
        do {
            report = try simulator.write(into: ledger, clock: clock)
        } catch {
            ledger.close()
            Self.remove(directory, programName: programName)
            throw error
        }
    }

    /// Closes the ledger and removes its directory.
    public func close() {
        ledger.close()
        Self.remove(directory, programName: programName)
    }

    /// Removes `directory`, warning on standard error when it cannot.
    private static func remove(_ directory: URL, programName: String) {
        guard FileManager.default.fileExists(atPath: directory.path) else { return }
        do {
            try FileManager.default.removeItem(at: directory)
        } catch {
            FileHandle.standardError.write(Data("\(programName): could not remove \(directory.path): \(error)\n".utf8))
        }
    }
}
