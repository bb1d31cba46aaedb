/// The result of decoding one UTF-8 sequence.
enum UTF8Sequence {
    case valid(scalar: UInt32, length: Int)
    case invalid(reason: String)
}

extension JSONParserCore {
    /// The length of the valid UTF-8 sequence of two or more bytes at `offset`.
    func validUTF8Length(at offset: Int) throws(JSONError) -> Int {
        switch decodeUTF8(at: offset) {
        case .valid(_, let length): return length
        case .invalid(let reason): throw JSONError(offset: offset, reason: reason)
        }
    }

    /// Decodes the UTF-8 sequence at `offset` (a byte of 0x80 or more) by the well-formed byte
    /// sequences of the Unicode Standard (table 3-7).
    func decodeUTF8(at offset: Int) -> UTF8Sequence {
        let lead = input[offset]
        let length: Int
        var lowest: UInt8 = 0x80
        var highest: UInt8 = 0xBF
        switch lead {
        case 0x80...0xBF:
            return .invalid(reason: "invalid UTF-8 (continuation byte \(hex(lead)) without a lead byte)")
        case 0xC0, 0xC1:
            return .invalid(reason: "invalid UTF-8 (overlong encoding)")
        case 0xC2...0xDF:
            length = 2
        case 0xE0:
            length = 3
            lowest = 0xA0
        case 0xED:
            length = 3
            highest = 0x9F
        case 0xE1...0xEF:
            length = 3
        case 0xF0:
            length = 4
            lowest = 0x90
        case 0xF1...0xF3:
            length = 4
        case 0xF4:
            length = 4
            highest = 0x8F
        case 0xF5...0xF7:
            return .invalid(reason: "invalid UTF-8 (code point above U+10FFFF)")
        default:
            return .invalid(reason: "invalid UTF-8 (byte \(hex(lead)) never occurs in UTF-8)")
        }
        guard offset + 1 < count else { return .invalid(reason: "invalid UTF-8 (truncated sequence)") }
        let second = input[offset + 1]
        if second < lowest || second > highest {
            if second >= 0x80, second <= 0xBF {
                // A continuation byte, but outside the range this lead byte allows.
                switch lead {
                case 0xE0, 0xF0: return .invalid(reason: "invalid UTF-8 (overlong encoding)")
                case 0xED: return .invalid(reason: "invalid UTF-8 (encoded surrogate)")
                default: return .invalid(reason: "invalid UTF-8 (code point above U+10FFFF)")
                }
            }
            return .invalid(reason: "invalid UTF-8 (truncated sequence)")
        }
        var scalar = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        scalar = scalar << 6 | UInt32(second & 0x3F)
        var index = offset + 2
        while index < offset + length {
            guard index < count, input[index] >= 0x80, input[index] <= 0xBF else {
                return .invalid(reason: "invalid UTF-8 (truncated sequence)")
            }
            scalar = scalar << 6 | UInt32(input[index] & 0x3F)
            index += 1
        }
        return .valid(scalar: scalar, length: length)
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return "0x" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
    }
}
