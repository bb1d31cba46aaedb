import Accountability
import EventLedger
import Foundation

/// One value of a report row.
enum ReportCell {
    case text(String)
    case int(Int)
    case number(Double)
    case flag(Bool)
    case time(Timestamp)
    case id(UUID)
    case none

    static func optional(_ value: Double?) -> ReportCell { value.map { .number($0) } ?? .none }
    static func optional(_ value: Timestamp?) -> ReportCell { value.map { .time($0) } ?? .none }

    /// The text of the cell in a table or a CSV file (empty when absent, numbers rounded to 4
    /// decimals, times RFC 3339 with microseconds).
    var text: String {
        switch self {
        case .text(let text): text
        case .int(let value): String(value)
        case .number(let value): Self.decimal(value)
        case .flag(let value): value ? "true" : "false"
        case .time(let time): time.rfc3339
        case .id(let id): id.uuidString.lowercased()
        case .none: ""
        }
    }

    /// The JSON value of the cell (numbers unrounded, absent values `null`).
    var json: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .int(let value): .number(value)
        case .number(let value): .number(value)
        case .flag(let value): .bool(value)
        case .time(let time): .string(time.rfc3339)
        case .id(let id): .string(id.uuidString.lowercased())
        case .none: .null
        }
    }

    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let rounded = (value * 10_000).rounded() / 10_000
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(format: "%.4f", rounded).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}

/// A column of a report: its name (the JSON key and the CSV header) and what it holds.
struct ReportColumn {
    let name: String
    let help: String
}

/// A read model's report as rows: what `ledger replay` prints as a table, CSV or JSON.
struct ReportTable {
    /// The model's name (`progress`…).
    let model: String
    /// What each row is ("one row per goal").
    let rowMeaning: String
    let columns: [ReportColumn]
    var rows: [[ReportCell]]
    /// Which mentorship each row belongs to (for the filters).
    var rowMentorships: [UUID]
}
