// GoalAuditTrail: the full history of one goal as it was known at a past date — who changed
// what, when — what is known about it now, and a proof that the hash chain is intact up to that
// date, recomputed from the records' canonical bytes.
//
//   swift run GoalAuditTrail [--mentorships N] [--months N] [--seed N]
//
// Exits 1 if the chain does not verify.
import Accountability
import EventLedger
import ExampleSupport
import Foundation

let arguments = ExampleArguments.fromCommandLine(program: "GoalAuditTrail")
do {
    let program = try SimulatedProgram(arguments)
    defer { program.close() }
    try GoalAudit(program: program).run()
} catch {
    FileHandle.standardError.write(Data("\(arguments.programName): \(error)\n".utf8))
    exit(1)
}
