import Accountability
import EventLedger
import Foundation

/// `query DIR --mentor UUID --month YYYY-MM`: opens the ledger at DIR read-only and reads one
/// mentor's month from the projection stored there, in one snapshot, while another process may be
/// appending and catching it up.
///
/// It prints `<mentor> <yyyy-mm> <minutes> <sessions> at <position>`, or
/// `no sessions for <mentor> in <yyyy-mm> at <position>` when the projection holds no row for
/// them; the position is the last event the stored rows reflect (0 before the first catch-up).
enum HoursQuery {
    /// Runs `query`.
    ///
    /// - Throws: What opening the ledger or reading the row throws (no ledger at DIR, a damaged row).
    static func run(_ arguments: HoursCommand.Query) throws {
        var options = LedgerOptions()
        options.readOnly = true
        options.createIfMissing = false
        let ledger = try Ledger(directory: URL(fileURLWithPath: arguments.directory), registry: try .accountability(), options: options)
        defer { ledger.close() }
        let hours = try PersistentProjection(ledger: ledger, projection: try MentoringHoursProjection())
        let asked = MentorMonth(mentor: arguments.mentor, month: arguments.month)
        guard let key = HoursKey.mentorMonth(asked.mentor, asked.month) else {
            throw LedgerError(.invalidRequest, "the month \(asked.month) has no row key")
        }
        let (totals, position) = try hours.read { view in
            (try view.row(key).map { try $0.totals(at: key) }, view.position)
        }
        if let totals {
            print("\(asked.mentorID) \(asked.month) \(totals.minutes) \(totals.sessions) at \(position)")
        } else {
            print("no sessions for \(asked.mentorID) in \(asked.month) at \(position)")
        }
    }
}
