import Accountability
import EventLedger
import ExampleSupport
import Foundation

/// The audit: chooses a goal, prints its history as known at a past date, compares what was known
/// then with what is known now, and proves the hash chain intact up to that date.
struct GoalAudit {
    /// The simulated program.
    let program: SimulatedProgram

    /// The past date: the close of the middle day of the program (a recorded-at time).
    var pastDate: Timestamp {
        program.config.start.adding(seconds: Double(program.config.days / 2) * 86_400 - 1)
    }

    /// Runs the audit and prints it.
    ///
    /// - Throws: ``ChainProof/Mismatch`` when the chain is broken; what reading the ledger throws.
    func run() throws {
        let ledger = program.ledger
        let pastDate = pastDate
        let cutoff = try ledger.read { try $0.lastPosition(recordedAtOrBefore: pastDate) }
        print("Goal audit: \(program.config.mentorships) mentorships over \(program.config.months) months (seed \(program.config.seed)), "
            + "\(program.report.eventCount) events")
        let recorded = cutoff == 0 ? "nothing had been recorded by then" : "positions 1…\(cutoff) had been recorded by then"
        print("Past date: \(pastDate) — \(recorded) (the log now ends at position \(program.report.head.position))")
        print("")

        let index = try ledger.replay(GoalIndexProjection()).state
        if let goal = index.choose(asOf: cutoff) {
            try show(goal, cutoff: cutoff)
        } else {
            print("No goal had been set by \(pastDate).")
        }

        print("")
        let hash = try ChainProof.verify(ledger, through: cutoff)
        print(cutoff == 0 ? "Nothing to recompute: the chain is still at genesis."
            : "Recomputed SHA-256(previous ‖ canonical bytes) from genesis over positions 1…\(cutoff):")
        print("chain intact through position \(cutoff): \(hash.hex)")
    }

    /// Prints the history of `goal` as known at the past date, and what is known now.
    private func show(_ goal: UUID, cutoff: UInt64) throws {
        let ledger = program.ledger
        let projection = GoalHistoryProjection(goal: goal, admins: [program.simulator.admin, program.simulator.systemAccount])
        // Time travel: the same projection over the log cut at the past date, and over all of it.
        let known = try ledger.replay(projection, .all().recorded(upTo: pastDate)).state
        let current = try ledger.replay(projection).state
        let mentorship = try current.stream.map { key in try ledger.read { try $0.streamName(forKey: key) } } ?? "?"

        let title = current.definition.map { "“\($0.title)”" } ?? ""
        print("Goal \(goal.uuidString.lowercased()) \(title)")
        print("  on \(mentorship)")
        print("")
        print("History as known at \(pastDate) (\(known.entries.count) events)")
        print("  " + AuditEntry.header)
        for entry in known.entries { print("  " + entry.line) }

        print("")
        print("Known then versus now")
        let rows: [(String, String, String)] = [
            ("", "at \(Format.time(pastDate))", "now (\(Format.time(program.asOf)))"),
            ("status", status(of: known, asOf: pastDate), status(of: current, asOf: program.asOf)),
            ("target", known.target.map(Format.number) ?? "-", current.target.map(Format.number) ?? "-"),
            ("deadline", known.deadline.map(Format.day) ?? "-", current.deadline.map(Format.day) ?? "-"),
            ("latest value", known.latestValue.map(Format.number) ?? "-", current.latestValue.map(Format.number) ?? "-"),
            ("events", String(known.entries.count), String(current.entries.count)),
        ]
        for row in rows { print("  " + row.0.padded(to: 13) + row.1.padded(to: 30) + row.2) }

        let later = current.entries.filter { $0.position > cutoff }
        print("")
        if later.isEmpty {
            print("Later: nothing more was recorded about this goal.")
        } else {
            print("Later (recorded after the past date, \(later.count) events)")
            print("  " + AuditEntry.header)
            for entry in later { print("  " + entry.line) }
            if let status = current.status, status != known.status, let closedAt = current.closedAt,
               let closing = later.last(where: { $0.eventType == GoalAchieved.eventType || $0.eventType == GoalAbandoned.eventType }) {
                print("later: \(status.rawValue) at \(closedAt) (recorded \(closing.recordedAt), position \(closing.position), by the \(closing.role))")
            }
        }
    }

    /// The goal's status as of `asOf`, with "overdue" for an open goal past its deadline.
    private func status(of history: GoalHistory, asOf: Timestamp) -> String {
        guard let status = history.status else { return "not set" }
        switch status {
        case .active:
            return (history.deadline.map { $0 < asOf } ?? false) ? "active, overdue" : "active"
        case .achieved, .abandoned:
            return status.rawValue + (history.closedAt.map { " on \(Format.day($0))" } ?? "")
        }
    }
}
