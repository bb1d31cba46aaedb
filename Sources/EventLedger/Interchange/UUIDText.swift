public import Foundation

/// UUIDs as the interchange format writes them: 36 characters, `8-4-4-4-12` hexadecimal digits.
///
/// Foundation's `UUID(uuidString:)` and `uuidString` go through `sscanf` and `sprintf` on Linux,
/// which made them the largest single cost of reading and writing export lines (an export line
/// holds four to eight ids); these do the same work directly on the bytes.
public enum UUIDText {
    /// The UUID spelt by `text`: exactly 36 characters, hyphens at offsets 8, 13, 18 and 23, and
    /// hexadecimal digits of either case elsewhere; `nil` for anything else.
    public static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { bytes -> UUID? in
            guard bytes.count == 36, bytes[8] == hyphen, bytes[13] == hyphen, bytes[18] == hyphen, bytes[23] == hyphen else {
                return nil
            }
            var id: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let parsed = withUnsafeMutableBytes(of: &id) { out -> Bool in
                var at = 0
                for index in 0..<16 {
                    if at == 8 || at == 13 || at == 18 || at == 23 { at += 1 }
                    guard let high = HexText.value(bytes[at]), let low = HexText.value(bytes[at + 1]) else { return false }
                    out[index] = high << 4 | low
                    at += 2
                }
                return true
            }
            return parsed ? UUID(uuid: id) : nil
        }
    }

    /// `id` in lowercase `8-4-4-4-12` form, as `id.uuidString.lowercased()` writes it.
    public static func lowercase(_ id: UUID) -> String {
        withUnsafeBytes(of: id.uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var at = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[at] = hyphen
                        at += 1
                    }
                    let byte = raw[index]
                    out[at] = digits[Int(byte >> 4)]
                    out[at + 1] = digits[Int(byte & 0x0F)]
                    at += 2
                }
                return 36
            }
        }
    }

    private static let hyphen = UInt8(ascii: "-")
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
}
