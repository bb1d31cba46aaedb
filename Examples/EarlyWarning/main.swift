// EarlyWarning: ranks the mentorships of a simulated program by their risk of failing, combining
// the built-in engagement and commitment read models with a projection of its own.
//
//   swift run EarlyWarning [--mentorships N] [--months N] [--seed N]
import Accountability
import EventLedger
import ExampleSupport
import Foundation

let arguments = ExampleArguments.fromCommandLine(program: "EarlyWarning")
do {
    let program = try SimulatedProgram(arguments)
    defer { program.close() }
    print("Early warning: \(arguments.mentorships) mentorships over \(arguments.months) months (seed \(arguments.seed)), "
        + "\(program.report.eventCount) events, head \(program.report.head.hash.hex.prefix(16))…")
    print("")
    let report = try EarlyWarningReport(ledger: program.ledger, asOf: program.asOf)
    report.print()
} catch {
    FileHandle.standardError.write(Data("\(arguments.programName): \(error)\n".utf8))
    exit(1)
}
