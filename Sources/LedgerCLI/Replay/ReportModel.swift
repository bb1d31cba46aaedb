import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// The read models `ledger replay` can fold.
enum ReportModel: String, CaseIterable, ExpressibleByArgument {
    case progress, engagement, commitment, health, nudges

    /// Folds the model from `query` and returns its report as rows, evaluated at `asOf` (or,
    /// when `nil`, at the recorded-at of the last event folded).
    func replay(_ ledger: Ledger, _ query: EventQuery, asOf: Timestamp?, progress: @escaping @Sendable (UInt64) -> Void) throws -> (ReportTable, UInt64, UInt64, Timestamp) {
        func fold<P: Projection>(_ projection: P) throws -> (P.State, UInt64, UInt64, Timestamp) {
            let result = try ledger.replay(ObservedProjection(base: projection, progress: progress), query)
            let time = try asOf ?? ledger.read { try $0.event(at: result.position)?.recordedAt } ?? Timestamp(microsecondsSinceEpoch: 0)
            return (result.state.base, result.position, result.eventsApplied, time)
        }
        switch self {
        case .progress:
            let (state, position, applied, time) = try fold(ProgressProjection())
            return (ReportTables.progress(state.report(asOf: time)), position, applied, time)
        case .engagement:
            let (state, position, applied, time) = try fold(EngagementProjection())
            return (ReportTables.engagement(state.report(asOf: time)), position, applied, time)
        case .commitment:
            let (state, position, applied, time) = try fold(CommitmentProjection())
            return (ReportTables.commitment(state.report(asOf: time)), position, applied, time)
        case .health:
            let (state, position, applied, time) = try fold(ProgramHealthProjection())
            return (ReportTables.health(state.report(asOf: time)), position, applied, time)
        case .nudges:
            let (state, position, applied, time) = try fold(NudgeProjection())
            return (ReportTables.nudges(state.report(asOf: time)), position, applied, time)
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
