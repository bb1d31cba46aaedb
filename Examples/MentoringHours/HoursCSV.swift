import Foundation

/// The mentoring-hours table as CSV (RFC 4180): a header line, one record per mentor and month,
/// every line ended by CRLF, and a field quoted (its quotes doubled) when it holds a comma, a
/// quote, a CR or an LF.
struct HoursCSV {
    /// The header fields.
    static let header = ["mentor", "month", "sessions", "minutes", "hours"]

    /// The records, in order (without the header).
    let records: [[String]]

    /// The CSV of `table`'s totals, in its order (mentor, then month); hours with 2 decimals.
    init(_ table: HoursTable) {
        records = table.rows.map { row in
            [row.key.mentorID, row.key.month.description, String(row.totals.sessions), String(row.totals.minutes),
             String(format: "%.2f", row.totals.hours)]
        }
    }

    /// The whole document.
    var text: String {
        ([Self.header] + records).map { $0.map(Self.field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One field, quoted when RFC 4180 requires it.
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
