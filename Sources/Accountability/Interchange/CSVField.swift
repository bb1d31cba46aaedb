/// RFC 4180 fields: quoted when they hold a comma, a quote or a line break, quotes doubled.
public enum CSVField {
    /// `text` as one CSV field.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return text }
        // Byte by byte: a quote followed by a combining mark is one Character, which a
        // Character-based replacement would not double.
        var bytes: [UInt8] = [34]
        for byte in text.utf8 {
            bytes.append(byte)
            if byte == 34 { bytes.append(34) }
        }
        bytes.append(34)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One CSV record (line) of `fields`, ending with CRLF as RFC 4180 says.
    public static func record(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }
}
