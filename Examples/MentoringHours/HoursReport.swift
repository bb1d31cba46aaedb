import EventLedger
import ExampleSupport
import Foundation

/// The default mode: simulates a program into a temporary ledger, catches the persistent
/// projection up, reads its rows back from the ledger and prints them as CSV (or writes the CSV
/// to `--output` and prints a summary).
enum HoursReport {
    /// Runs the report.
    ///
    /// - Throws: What simulating, catching up or reading throws; an ``ArgumentError`` for an
    ///   `--output` file it cannot write.
    static func run(_ arguments: ExampleArguments) throws {
        let program = try SimulatedProgram(arguments)
        defer { program.close() }
        let hours = try PersistentProjection(ledger: program.ledger, projection: try MentoringHoursProjection())
        try hours.catchUp()
        let table = try hours.read { view in try HoursTable(view) }
        let csv = HoursCSV(table)
        guard let output = arguments.output else {
            FileHandle.standardOutput.write(Data(csv.text.utf8))
            return
        }
        let url = URL(fileURLWithPath: output)
        do {
            try Data(csv.text.utf8).write(to: url, options: .atomic)
        } catch {
            throw ArgumentError("--output: cannot write '\(output)': \(error.localizedDescription)")
        }
        let minutes = table.minutes
        print("Wrote \(csv.records.count) rows (\(table.mentorCount) mentors, \(table.monthCount) months) to \(url.path)")
        print("  \(table.sessions) sessions, \(minutes) minutes = \(String(format: "%.2f", Double(minutes) / 60)) hours of mentoring")
        if table.uncounted.total > 0 {
            print("  not counted: \(table.uncounted.withoutMentor) sessions the mentor did not attend, \(table.uncounted.withoutStart) on streams never started")
        }
    }
}
