import Accountability
import Foundation

extension ReportTables {
    static let healthRows = RowColumns<PairHealth>([
        ("mentorship", "The mentorship (pair) id.", { .id($0.mentorship) }),
        ("program", "Its program.", { .id($0.program) }),
        ("mentor", "The mentor.", { .id($0.mentor) }),
        ("mentee", "The mentee.", { .id($0.mentee) }),
        ("lifecycle", "active, paused or ended.", { .text($0.lifecycle.rawValue) }),
        ("rag", "The pair's status: green, amber or red (the worse of the two signals).", { .text($0.rag.rawValue) }),
        ("attendanceRAG", "The attendance signal.", { .text($0.attendanceRAG.rawValue) }),
        ("ratingRAG", "The rating signal.", { .text($0.ratingRAG.rawValue) }),
        ("attendance", "held / (held + noShows + shortNoticeCancellations) (empty with none).", { .optional($0.attendance) }),
        ("averageRating", "Mean rating in the pair, both directions (empty with none).", { .optional($0.averageRating) }),
        ("ratingCount", "Ratings given in the pair.", { .int($0.ratingCount) }),
        ("sessionsHeld", "Sessions held.", { .int($0.sessionsHeld) }),
        ("sessionsLast30Days", "Sessions held in the 30 days before asOf.", { .int($0.sessionsLast30Days) }),
        ("noShows", "Sessions missed.", { .int($0.noShows) }),
        ("shortNoticeCancellations", "Cancellations with less than 24 hours' notice.", { .int($0.shortNoticeCancellations) }),
        ("activated", "At least 3 sessions held.", { .flag($0.activated) }),
        ("startedAt", "When the mentorship started.", { .time($0.startedAt) }),
    ])

    static var healthColumns: [ReportColumn] { healthRows.columns }

    static func health(_ report: ProgramHealthReport) -> ReportTable {
        healthRows.table(model: "health", meaning: "one row per pair, by mentorship id", rows: report.pairs, mentorship: \.mentorship)
    }
}
