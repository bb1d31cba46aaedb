import Accountability
import EventLedger
import ExampleSupport
import Foundation

/// `follow DIR`: simulates a program into the ledger at DIR one day's append at a time, and after
/// each batch (a simulated week) catches the persistent projection up, so that another process
/// can query it while this one keeps appending.
///
/// It prints, each line written at once (standard output is not buffered here):
/// - `caught up <position>` after each catch-up;
/// - `mentor <uuid> <yyyy-mm>` once, after the first catch-up that stored a mentor's month: the
///   first totals row in key order, a key to query;
/// - `done <position>` at the end.
enum HoursFollow {
    /// The simulated days appended between two catch-ups.
    static let daysPerBatch = 7

    /// Runs `follow`.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when DIR already holds events; what opening,
    ///   appending or catching up throws.
    static func run(_ arguments: HoursCommand.Follow) throws {
        let simulation = arguments.simulation
        let config = SimulationConfig(seed: simulation.seed, mentorships: simulation.mentorships, months: simulation.months)
        let simulator = try ProgramSimulator(config)
        // The ledger records on the simulated clock, so a seed always writes the same log.
        let clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        let ledger = try Ledger(directory: URL(fileURLWithPath: arguments.directory), registry: try .accountability(), options: options)
        defer { ledger.close() }
        let head = try ledger.head().position
        guard head == 0 else {
            throw LedgerError(.invalidRequest, "\(arguments.directory) already holds \(head) events; follow simulates into a new ledger")
        }
        let hours = try PersistentProjection(ledger: ledger, projection: try MentoringHoursProjection())
        var shownMentor = false

        func catchUp() throws {
            let position = try hours.catchUp()
            line("caught up \(position)")
            if !shownMentor, let first = try hours.read({ view in try view.rows(prefix: HoursKey.mentorMonths, limit: 1).first }) {
                let key = try HoursKey.mentorMonth(from: first.key)
                line("mentor \(key.mentorID) \(key.month)")
                shownMentor = true
            }
            if arguments.pauseMilliseconds > 0 { Thread.sleep(forTimeInterval: Double(arguments.pauseMilliseconds) / 1_000) }
        }

        var batch: Int?
        try simulator.run { day in
            let dayBatch = day.day / daysPerBatch
            if let batch, batch != dayBatch { try catchUp() }
            batch = dayBatch
            clock.set(day.closesAt)
            try ledger.append(day.appends)
        }
        try catchUp()
        line("done \(try hours.read { $0.position })")
    }

    /// Writes `text` and a newline to standard output at once.
    private static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
