import Accountability
import Foundation

extension ReportTables {
    static let nudgesRows = RowColumns<DueNudge>([
        ("rule", "The reminder rule whose condition holds (firstSessionOverdue, noRecentSession, taskOverdue, goalDeadlineAtRisk, feedbackMissing, noShowStreak, lowRating, inactive).", { .text($0.rule.name) }),
        ("mentorship", "The mentorship it is about.", { .id($0.mentorship) }),
        ("program", "The mentorship's program.", { .id($0.program) }),
        ("subject", "What it is about: the mentorship, a goal, a task or a session (record it as NudgeSent's subject).", { .id($0.subject) }),
        ("recipient", "Who to remind: a participant's id, or programAdmins.", { $0.recipient.participant.map { .id($0) } ?? .text("programAdmins") }),
        ("conditionBegan", "When the condition's current episode began.", { .time($0.conditionBegan) }),
    ])

    static var nudgesColumns: [ReportColumn] { nudgesRows.columns }

    static func nudges(_ report: NudgeReport) -> ReportTable {
        nudgesRows.table(model: "nudges", meaning: "one row per due reminder, by mentorship, rule, subject, recipient", rows: report.nudges, mentorship: \.mentorship)
    }
}
