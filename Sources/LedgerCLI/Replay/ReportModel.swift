import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// The read models `ledger replay` can report.
enum ReportModel: String, CaseIterable, ExpressibleByArgument {
    case progress, engagement, commitment, health, nudges

    /// The model's report among `reports`, as rows.
    func table(_ reports: AccountabilityReports) -> ReportTable {
        switch self {
        case .progress: ReportTables.progress(reports.progress)
        case .engagement: ReportTables.engagement(reports.engagement)
        case .commitment: ReportTables.commitment(reports.commitment)
        case .health: ReportTables.health(reports.health)
        case .nudges: ReportTables.nudges(reports.nudges)
        }
    }

    /// The columns of the model's rows (documented in Docs/CLI.md).
    var columns: [ReportColumn] {
        switch self {
        case .progress: ReportTables.progressColumns
        case .engagement: ReportTables.engagementColumns
        case .commitment: ReportTables.commitmentColumns
        case .health: ReportTables.healthColumns
        case .nudges: ReportTables.nudgesColumns
        }
    }
}
