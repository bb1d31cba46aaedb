import Accountability
import Foundation

extension ReportTables {
    static let progressRows = RowColumns<GoalProgress>([
        ("goal", "The goal's id.", { .id($0.goal) }),
        ("mentorship", "Its mentorship.", { .id($0.mentorship) }),
        ("owner", "Whose goal it is (normally the mentee).", { .id($0.owner) }),
        ("status", "active, achieved, abandoned or overdue (open past its current deadline).", { .text($0.status.rawValue) }),
        ("progressPercent", "Progress 0-100: (latest value - baseline) / (target - baseline), else completed linked tasks / linked tasks, else 0; 100 when achieved.", { .number($0.progressPercent) }),
        ("expectedPercent", "Elapsed share of [set, deadline], 0-100.", { .number($0.expectedPercent) }),
        ("onTrack", "progressPercent >= expectedPercent - 10 (achieved: true; abandoned: false).", { .flag($0.onTrack) }),
        ("basis", "What progressPercent was computed from: achieved, measurement, tasks or none.", { .text($0.basis.rawValue) }),
        ("baseline", "The metric's value when the goal was set.", { .number($0.baseline) }),
        ("target", "The current target (after revisions).", { .number($0.target) }),
        ("latestValue", "The latest measured value (empty when none).", { .optional($0.latestValue) }),
        ("setAt", "When the goal was set (RFC 3339).", { .time($0.setAt) }),
        ("deadline", "The current deadline (after revisions).", { .time($0.deadline) }),
        ("achievedAt", "When it was achieved (empty when not).", { .optional($0.achievedAt) }),
        ("abandonedAt", "When it was abandoned (empty when not).", { .optional($0.abandonedAt) }),
        ("revisions", "Revisions so far.", { .int($0.revisions) }),
        ("easierRevisions", "Of those, revisions that made the goal easier.", { .int($0.easierRevisions) }),
        ("linkedTasks", "Tasks linked to the goal, cancelled ones excluded.", { .int($0.linkedTasks) }),
        ("completedLinkedTasks", "Of those, completed.", { .int($0.completedLinkedTasks) }),
    ])

    static var progressColumns: [ReportColumn] { progressRows.columns }

    static func progress(_ report: ProgressReport) -> ReportTable {
        progressRows.table(model: "progress", meaning: "one row per goal, by goal id", rows: report.goals, mentorship: \.mentorship)
    }
}
