import Accountability
import EventLedger
import Foundation

/// The output formats of `ledger replay`.
enum ReportFormat: String, CaseIterable {
    case table, json, csv
}

/// What a replay saw: the selection and the time its metrics are evaluated at.
struct ReplayContext {
    /// The time the metrics are evaluated at.
    let asOf: Timestamp
    /// The last position folded (0 when none).
    let position: UInt64
    /// The chain hash at that position.
    let hash: ChainHash
    /// The recorded-at bound of time travel (`--as-of`), if any.
    let knownAt: Timestamp?
    /// Events folded.
    let eventsApplied: UInt64
    /// The filters applied (`mentorship`, `participant`).
    let filters: [(String, UUID)]
}

/// Renders a ``ReportTable`` as an aligned table, RFC 4180 CSV or one JSON document.
enum ReportRenderer {
    static func render(_ table: ReportTable, _ format: ReportFormat, context: ReplayContext) -> String {
        switch format {
        case .table: return renderTable(table, context)
        case .csv:
            var text = CSVField.record(table.columns.map(\.name))
            for row in table.rows { text += CSVField.record(row.map(\.text)) }
            return text
        case .json: return renderJSON(table, context)
        }
    }

    private static func renderTable(_ table: ReportTable, _ context: ReplayContext) -> String {
        let headers = table.columns.map(\.name)
        let cells = table.rows.map { $0.map(\.text) }
        var widths = headers.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in value.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
        }
        var text = "\(table.model) as of \(context.asOf.rfc3339), through position \(context.position)"
        if let knownAt = context.knownAt { text += " (known at \(knownAt.rfc3339))" }
        text += "; \(table.rows.count) rows (\(table.rowMeaning))\n"
        text += line(headers) + "\n"
        text += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in cells { text += line(row) + "\n" }
        return text
    }

    private static func renderJSON(_ table: ReportTable, _ context: ReplayContext) -> String {
        var members = [
            JSONMember(key: "model", value: .string(table.model)),
            JSONMember(key: "asOf", value: .string(context.asOf.rfc3339)),
            JSONMember(key: "position", value: .number(Int64(context.position))),
            JSONMember(key: "chainHash", value: .string(context.hash.hex)),
            JSONMember(key: "knownAt", value: context.knownAt.map { .string($0.rfc3339) } ?? .null),
            JSONMember(key: "eventsApplied", value: .number(Int64(context.eventsApplied))),
        ]
        members.append(JSONMember(key: "filters", value: .object(JSONObject(context.filters.map {
            JSONMember(key: $0.0, value: .string($0.1.uuidString.lowercased()))
        }))))
        let rows = table.rows.map { row in
            JSONValue.object(JSONObject(zip(table.columns, row).map { JSONMember(key: $0.name, value: $1.json) }))
        }
        members.append(JSONMember(key: "rows", value: .array(rows)))
        return JSONValue.object(JSONObject(members)).serialized + "\n"
    }
}
