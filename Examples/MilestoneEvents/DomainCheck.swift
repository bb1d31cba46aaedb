import Accountability
import EventLedger
import Foundation

/// Shows that the built-in domain keeps working on streams that hold user events: the
/// mentorship state folds past them, a command is checked and recorded on such a stream, and
/// the whole ledger verifies.
struct DomainCheck {
    /// The program.
    let program: MilestoneProgram
    /// The folded milestones (to find a mentorship that has some).
    let state: MilestoneState

    /// Records one FeedbackGiven through ``AccountabilityLedger`` on the first active mentorship
    /// (by id) that has milestones, then verifies the ledger.
    func run() throws {
        let log = AccountabilityLedger(ledger: program.ledger, admins: program.simulator.admins)
        let candidates = state.pairs.values.filter { !$0.milestones.isEmpty }.sorted { $0.mentorship.uuidString < $1.mentorship.uuidString }
        var recorded = false
        for pair in candidates where !recorded {
            let mentorship = try log.state(of: pair.mentorship)
            guard mentorship.status == .active, let mentor = mentorship.mentor, let revision = mentorship.revision else { continue }
            program.clock.set(program.asOf)
            var ids = SeededGenerator(seed: program.config.seed, stream: 0x4645_4544_4241_434B) // "FEEDBACK"
            let command = MentorshipCommand(
                FeedbackGiven(from: pair.mentee, to: mentor, rating: 5, comment: "the milestones kept us going"),
                mentorship: pair.mentorship, by: pair.mentee, at: program.asOf, id: ids.uuid())
            let result = try log.record(command)
            print("AccountabilityLedger on \(MentorshipStream.name(of: pair.mentorship)):")
            print("  state(of:) folded its \(revision + 1) events; \(pair.milestones.count) are MilestoneReached, which the fold skips (they count towards the revision)")
            print("  recorded a FeedbackGiven by the mentee at position \(result.positions.lowerBound), stream revision \(result.revision.map(String.init) ?? "-")")
            recorded = true
        }
        if !recorded { print("No active mentorship has a milestone: nothing recorded through AccountabilityLedger.") }
        let report = try program.ledger.verify()
        guard report.isIntact else {
            throw LedgerError(.corruptRecord, "verify found a fault: \(report.firstFault.map { "\($0)" } ?? "?")")
        }
        print("verify: intact, \(report.eventsChecked) events, \(report.payloadsDecoded) payloads decoded; head \(report.head.hash.hex)")
    }
}
