// MentoringHours: mentoring hours per mentor per calendar month (UTC), kept by a persistent keyed
// projection in the ledger, from the held sessions of a simulated program.
//
//   swift run MentoringHours [--mentorships N] [--months N] [--seed N] [--output FILE]
//   swift run MentoringHours follow DIR [--mentorships N] [--months N] [--seed N] [--pause MS]
//   swift run MentoringHours query DIR --mentor UUID --month YYYY-MM
//
// Without a mode the program is simulated into a temporary ledger, the projection caught up and
// its rows read back as CSV on standard output (and nothing else); with --output the CSV is
// written to FILE and a short summary is printed. `follow` simulates into the ledger at DIR,
// catching the projection up after each simulated week; `query`, run as another process at the
// same time, opens DIR read-only and reads one mentor's month by key.
import ExampleSupport
import Foundation

let command = HoursCommand.fromCommandLine()
do {
    switch command {
    case .report(let arguments): try HoursReport.run(arguments)
    case .follow(let arguments): try HoursFollow.run(arguments)
    case .query(let arguments): try HoursQuery.run(arguments)
    case .help: print(HoursCommand.usage)
    }
} catch {
    FileHandle.standardError.write(Data("\(HoursCommand.program): \(error)\n".utf8))
    exit(1)
}
