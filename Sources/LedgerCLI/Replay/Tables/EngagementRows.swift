import Accountability
import Foundation

extension ReportTables {
    static let engagementRows = RowColumns<MentorshipEngagement>([
        ("mentorship", "The mentorship's id.", { .id($0.mentorship) }),
        ("program", "Its program.", { .id($0.program) }),
        ("mentor", "The mentor.", { .id($0.mentor) }),
        ("mentee", "The mentee.", { .id($0.mentee) }),
        ("lifecycle", "active, paused or ended.", { .text($0.lifecycle.rawValue) }),
        ("engagementScore", "0-100 = 50 x cadenceAdherence + 30 x recency + 20 x feedbackCompletion (an empty rate counts as 1).", { .number($0.engagementScore) }),
        ("cadenceAdherence", "Elapsed cadence periods with a held session / elapsed periods (empty when none elapsed).", { .optional($0.cadenceAdherence) }),
        ("recency", "0-1, from the active days since the last session against the cadence.", { .number($0.recency) }),
        ("feedbackCompletion", "Held sessions with feedback / held sessions (empty with no session).", { .optional($0.feedbackCompletion) }),
        ("sessionsHeld", "Sessions held.", { .int($0.sessionsHeld) }),
        ("minutesHeld", "Their minutes.", { .int($0.minutesHeld) }),
        ("sessionsLast30Days", "Sessions held in the 30 days before asOf.", { .int($0.sessionsLast30Days) }),
        ("sessionsLast90Days", "Sessions held in the 90 days before asOf.", { .int($0.sessionsLast90Days) }),
        ("daysToFirstSession", "Days from the start to the first held session (empty when none).", { .optional($0.daysToFirstSession) }),
        ("daysSinceLastSession", "Days from the last held session to asOf (empty when none).", { .optional($0.daysSinceLastSession) }),
        ("activated", "At least 3 sessions held.", { .flag($0.activated) }),
        ("startedAt", "When the mentorship started.", { .time($0.startedAt) }),
    ])

    static var engagementColumns: [ReportColumn] { engagementRows.columns }

    static func engagement(_ report: EngagementReport) -> ReportTable {
        engagementRows.table(model: "engagement", meaning: "one row per mentorship, by mentorship id", rows: report.mentorships, mentorship: \.mentorship)
    }
}
