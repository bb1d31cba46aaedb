// MilestoneEvents: a user-defined event type, MilestoneReached, registered next to the built-in
// mentorship events, written on the mentorship streams of a simulated program (after a pair's
// 3rd and 10th held sessions and whenever a goal is achieved), and folded alongside built-in
// events by a projection of its own.
//
//   swift run MilestoneEvents [--mentorships N] [--months N] [--seed N]
import Accountability
import EventLedger
import ExampleSupport
import Foundation

let arguments = ExampleArguments.fromCommandLine(program: "MilestoneEvents")
do {
    let program = try MilestoneProgram(arguments)
    defer { program.close() }
    let milestones = program.milestonesByKind.values.reduce(0, +)
    print("Milestones: \(arguments.mentorships) mentorships over \(arguments.months) months (seed \(arguments.seed))")
    print("  wrote \(program.builtInEvents) built-in events and \(milestones) MilestoneReached "
        + "(\(program.milestonesByKind[.sessions, default: 0]) session counts, \(program.milestonesByKind[.goalAchieved, default: 0]) goals achieved)")

    // validate() runs when the event is proposed: nothing invalid reaches the ledger.
    do {
        _ = try ProposedEvent(MilestoneReached(kind: .sessions, mentee: UUID(), title: "  "))
        throw LedgerError(.invalidRequest, "a MilestoneReached with a blank title was accepted")
    } catch let error as LedgerError where error.code == .invalidEvent {
        print("  a blank title is refused: \(error.message)")
    }
    print("")

    let state = try program.ledger.replay(try MilestoneProjection()).state
    MilestoneTable(state).print()

    print("")
    try DomainCheck(program: program, state: state).run()
} catch {
    FileHandle.standardError.write(Data("\(arguments.programName): \(error)\n".utf8))
    exit(1)
}
