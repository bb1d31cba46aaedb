import Foundation

/// A model's columns, each with the function that reads its cell from a report row, so the
/// header and the values cannot drift apart.
struct RowColumns<Row>: Sendable {
    let entries: [(column: ReportColumn, cell: @Sendable (Row) -> ReportCell)]

    init(_ entries: [(String, String, @Sendable (Row) -> ReportCell)]) {
        self.entries = entries.map { (ReportColumn(name: $0.0, help: $0.1), $0.2) }
    }

    var columns: [ReportColumn] { entries.map(\.column) }

    func table(model: String, meaning: String, rows: [Row], mentorship: (Row) -> UUID) -> ReportTable {
        ReportTable(model: model, rowMeaning: meaning, columns: columns,
                    rows: rows.map { row in entries.map { $0.cell(row) } },
                    rowMentorships: rows.map(mentorship))
    }
}

/// The rows of each model's report.
enum ReportTables {}
