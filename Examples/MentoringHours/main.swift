// MentoringHours: mentoring hours per mentor per calendar month (UTC), as CSV, from the held
// sessions of a simulated program.
//
//   swift run MentoringHours [--mentorships N] [--months N] [--seed N] [--output FILE]
//
// Without --output the CSV goes to standard output (and nothing else does); with it, the CSV is
// written to FILE and a short summary is printed.
import Accountability
import EventLedger
import ExampleSupport
import Foundation

let arguments = ExampleArguments.fromCommandLine(program: "MentoringHours", acceptsOutput: true)
do {
    let program = try SimulatedProgram(arguments)
    defer { program.close() }
    let state = try program.ledger.replay(try MentoringHoursProjection()).state
    let csv = HoursCSV(state)
    if let output = arguments.output {
        let url = URL(fileURLWithPath: output)
        do {
            try Data(csv.text.utf8).write(to: url, options: .atomic)
        } catch {
            throw ArgumentError("--output: cannot write '\(output)': \(error.localizedDescription)")
        }
        let totals = state.totals.values
        let minutes = totals.reduce(0) { $0 + $1.minutes }
        let sessions = totals.reduce(0) { $0 + $1.sessions }
        let mentors = Set(state.totals.keys.map(\.mentor)).count
        let months = Set(state.totals.keys.map(\.month)).count
        print("Wrote \(csv.records.count) rows (\(mentors) mentors, \(months) months) to \(url.path)")
        print("  \(sessions) sessions, \(minutes) minutes = \(String(format: "%.2f", Double(minutes) / 60)) hours of mentoring")
        if state.sessionsWithoutMentor + state.sessionsWithoutStart > 0 {
            print("  not counted: \(state.sessionsWithoutMentor) sessions the mentor did not attend, \(state.sessionsWithoutStart) on streams never started")
        }
    } else {
        FileHandle.standardOutput.write(Data(csv.text.utf8))
    }
} catch {
    FileHandle.standardError.write(Data("\(arguments.programName): \(error)\n".utf8))
    exit(1)
}
