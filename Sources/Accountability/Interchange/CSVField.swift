import Foundation

/// RFC 4180 fields: quoted when they hold a comma, a quote or a line break, quotes doubled.
public enum CSVField {
    /// `text` as one CSV field.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV record (line) of `fields`, ending with CRLF as RFC 4180 says.
    public static func record(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }
}
