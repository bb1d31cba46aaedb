/// Hexadecimal text read as bytes: what ``ChainHash/init(hex:)``, ``UUIDText/parse(_:)`` and the
/// export's hex members decode with. One table, so every reader accepts exactly the same digits.
public enum HexText {
    /// The bytes spelt by `digits`, two digits a byte, or `nil` when their count is odd or one is
    /// not a hexadecimal digit.
    ///
    /// - Parameter lowercaseOnly: accept only `0-9a-f`, as an exporter writes them; otherwise
    ///   `A-F` too.
    public static func bytes(_ digits: UnsafeRawBufferPointer, lowercaseOnly: Bool = false) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        let table = lowercaseOnly ? lowercaseValues : values
        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: digits.count / 2) { out, count in
            for index in 0..<digits.count / 2 {
                let high = table[Int(digits[2 * index])], low = table[Int(digits[2 * index + 1])]
                if high | low > 15 { valid = false; break }
                out[index] = high << 4 | low
            }
            count = valid ? digits.count / 2 : 0
        }
        return valid ? bytes : nil
    }

    /// The value of one digit of either case, or `nil`.
    @inline(__always)
    static func value(_ c: UInt8) -> UInt8? {
        let value = values[Int(c)]
        return value > 15 ? nil : value
    }

    /// Each byte's digit value, 0xFF for a byte that is not a hexadecimal digit.
    private static let values: [UInt8] = table(uppercase: true)
    private static let lowercaseValues: [UInt8] = table(uppercase: false)

    private static func table(uppercase: Bool) -> [UInt8] {
        (0...255).map { (c: Int) -> UInt8 in
            switch c {
            case 0x30...0x39: UInt8(c - 0x30)
            case 0x61...0x66: UInt8(c - 0x61 + 10)
            case 0x41...0x46 where uppercase: UInt8(c - 0x41 + 10)
            default: 0xFF
            }
        }
    }
}
