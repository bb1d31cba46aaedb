import Accountability
import Foundation

extension ReportTables {
    static let commitmentRows = RowColumns<MentorshipCommitment>([
        ("mentorship", "The mentorship's id.", { .id($0.mentorship) }),
        ("program", "Its program.", { .id($0.program) }),
        ("mentor", "The mentor.", { .id($0.mentor) }),
        ("mentee", "The mentee.", { .id($0.mentee) }),
        ("ended", "Whether it had ended by asOf.", { .flag($0.ended) }),
        ("score", "0-100 = 40 x attendance + 40 x taskOnTimeRate + 20 x reciprocity (an empty rate counts as 1).", { .number($0.score) }),
        ("attendance", "held / (held + noShows + shortNoticeCancellations) (empty when all are 0).", { .optional($0.attendance.reliability) }),
        ("held", "Sessions held.", { .int($0.attendance.held) }),
        ("noShows", "Sessions missed (a both-sides no-show counts once).", { .int($0.attendance.noShows) }),
        ("shortNoticeCancellations", "Cancellations with less than 24 hours' notice.", { .int($0.attendance.shortNoticeCancellations) }),
        ("noShowStreak", "Consecutive no-shows at the end of the resolved sessions.", { .int($0.attendance.noShowStreak) }),
        ("tasksDue", "Tasks due by asOf, cancelled ones excluded.", { .int($0.tasks.due) }),
        ("tasksCompletedOnTime", "Of those, completed by their due time.", { .int($0.tasks.completedOnTime) }),
        ("taskOnTimeRate", "tasksCompletedOnTime / tasksDue (empty when none is due).", { .optional($0.tasks.onTimeRate) }),
        ("openOverdueTasks", "Open tasks past their due time.", { .int($0.tasks.openOverdue.count) }),
        ("reciprocity", "Sides that gave feedback about one of the last 3 held sessions / 2 (empty with no session).", { .optional($0.reciprocity) }),
        ("mentorScore", "The mentor's side's score (0-100).", { .number($0.mentorSide.score) }),
        ("menteeScore", "The mentee's side's score (0-100).", { .number($0.menteeSide.score) }),
    ])

    static var commitmentColumns: [ReportColumn] { commitmentRows.columns }

    static func commitment(_ report: CommitmentReport) -> ReportTable {
        let rows = report.mentorships.values.sorted { $0.mentorship.uuidString < $1.mentorship.uuidString }
        return commitmentRows.table(model: "commitment", meaning: "one row per mentorship, by mentorship id", rows: rows, mentorship: \.mentorship)
    }
}
