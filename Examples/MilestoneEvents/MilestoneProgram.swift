import Accountability
import EventLedger
import ExampleSupport
import Foundation

/// A simulated program with milestones, written into a new ledger in a new temporary directory.
///
/// The registry holds the built-in types and ``MilestoneReached``. Each simulated day is one
/// atomic append across the day's mentorship streams, with each milestone placed on its
/// mentorship's stream right after the event that made it. ``close()`` closes the ledger and
/// removes the directory.
final class MilestoneProgram {
    /// What was simulated.
    let config: SimulationConfig
    /// The simulator (its program, admins and system account).
    let simulator: ProgramSimulator
    /// The ledger.
    let ledger: Ledger
    /// The ledger's clock (moved to each day's close).
    let clock: ManualClock
    /// The temporary directory of the ledger, named after the example.
    let directory: URL
    /// The name warnings on standard error start with.
    private let programName: String
    /// Built-in events written.
    private(set) var builtInEvents = 0
    /// Milestones written, by kind.
    private(set) var milestonesByKind: [MilestoneReached.Kind: Int] = [:]

    /// "Now" for the report: the close of the program's last simulated day.
    var asOf: Timestamp { config.start.adding(seconds: Double(config.days) * 86_400 - 1) }

    /// Simulates `arguments` with milestones into a new temporary ledger.
    ///
    /// - Throws: what opening the ledger or appending throws; the directory is removed first.
    init(_ arguments: ExampleArguments) throws {
        programName = arguments.programName
        config = SimulationConfig(seed: arguments.seed, mentorships: arguments.mentorships, months: arguments.months)
        simulator = try ProgramSimulator(config)
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(arguments.programName)-\(UUID().uuidString.prefix(8).lowercased())")
        clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        var registry = try EventTypeRegistry.accountability()
        try registry.register(MilestoneReached.self)
        do {
            ledger = try Ledger(directory: directory, registry: registry, options: options)
        } catch {
            Self.remove(directory, programName: programName)
            throw error
        }
        do {
            try write()
        } catch {
            close()
            throw error
        }
    }

    /// Runs the simulation, adding each day's milestones to the day's append.
    ///
    /// The simulator expects each stream at the revision its own events left it; every milestone
    /// already on a stream moves that revision by one, so the expectation is shifted by the
    /// milestones written so far: the optimistic-concurrency check stays exact.
    private func write() throws {
        var detector = MilestoneDetector(seed: config.seed)
        var milestonesOnStream: [String: UInt64] = [:]
        let recorder = simulator.systemAccount
        try simulator.run { day in
            var commandsByStream: [String: [MentorshipCommand]] = [:]
            for command in day.commands { commandsByStream[command.stream, default: []].append(command) }
            var appends: [StreamAppend] = []
            appends.reserveCapacity(day.appends.count)
            for append in day.appends {
                let commands = commandsByStream[append.stream] ?? []
                guard commands.count == append.events.count else {
                    throw LedgerError(.invalidRequest, "day \(day.day): \(append.stream) has \(append.events.count) events for \(commands.count) commands")
                }
                var events: [ProposedEvent] = []
                var added: UInt64 = 0
                for (command, event) in zip(commands, append.events) {
                    events.append(event)
                    if let milestone = detector.observe(command) {
                        events.append(try detector.proposedEvent(milestone, causedBy: command, recorder: recorder))
                        milestonesByKind[milestone.kind, default: 0] += 1
                        added += 1
                    }
                }
                let already = milestonesOnStream[append.stream, default: 0]
                let expected: ExpectedRevision = switch append.expectedRevision {
                case .revision(let revision): .revision(revision + already)
                case let other: other
                }
                appends.append(StreamAppend(stream: append.stream, expectedRevision: expected, events: events))
                milestonesOnStream[append.stream] = already + added
                builtInEvents += commands.count
            }
            clock.set(day.closesAt)
            try ledger.append(appends)
        }
    }

    /// Closes the ledger and removes its directory.
    func close() {
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
