extension JSONParserCore {
    /// Parses a string at `cursor` (the opening quote), leaving `cursor` after the closing quote.
    mutating func parseString() throws(JSONError) -> String {
        cursor += 1
        let start = cursor
        // Fast path: no escapes, so the string is a slice of the input.
        while cursor < count {
            let byte = input[cursor]
            if byte == ASCII.quote {
                let string = makeString(start..<cursor)
                cursor += 1
                return string
            } else if byte == ASCII.backslash {
                break
            } else if byte < 0x20 {
                throw controlCharacter(at: cursor)
            } else if byte < 0x80 {
                cursor += 1
            } else {
                cursor += try validUTF8Length(at: cursor)
            }
        }
        guard cursor < count else { throw endInsideString() }

        // Slow path: copy runs between escapes into the scratch buffer.
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        while cursor < count {
            let byte = input[cursor]
            if byte == ASCII.quote {
                appendRun(from: runStart)
                let string = String(decoding: scratch, as: UTF8.self)
                cursor += 1
                return string
            } else if byte == ASCII.backslash {
                appendRun(from: runStart)
                try parseEscape()
                runStart = cursor
            } else if byte < 0x20 {
                throw controlCharacter(at: cursor)
            } else if byte < 0x80 {
                cursor += 1
            } else {
                cursor += try validUTF8Length(at: cursor)
            }
        }
        throw endInsideString()
    }

    private mutating func appendRun(from runStart: Int) {
        if runStart < cursor {
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<cursor]))
        }
    }

    /// Parses the escape at `cursor` (a backslash) into the scratch buffer.
    private mutating func parseEscape() throws(JSONError) {
        let escapeStart = cursor
        guard cursor + 1 < count else { throw endInsideString() }
        let letter = input[cursor + 1]
        let simple: UInt8
        switch letter {
        case ASCII.quote: simple = ASCII.quote
        case ASCII.backslash: simple = ASCII.backslash
        case ASCII.slash: simple = ASCII.slash
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = ASCII.lineFeed
        case UInt8(ascii: "r"): simple = ASCII.carriageReturn
        case UInt8(ascii: "t"): simple = ASCII.tab
        case UInt8(ascii: "u"):
            let unit = try hex4(at: cursor + 2)
            cursor += 6
            if unit >= 0xDC00, unit <= 0xDFFF {
                throw JSONError(
                    offset: escapeStart,
                    reason: "\(escapeText(at: escapeStart)) is a low surrogate without a high surrogate before it"
                )
            }
            guard unit >= 0xD800, unit <= 0xDBFF else {
                appendScalar(unit)
                return
            }
            // A high surrogate: a low surrogate escape must follow.
            let escapeFollows = cursor + 1 < count && input[cursor] == ASCII.backslash && input[cursor + 1] == UInt8(ascii: "u")
            guard escapeFollows else {
                // The input ends where the next escape would be, or in the middle of it.
                if cursor >= count || (cursor + 1 >= count && input[cursor] == ASCII.backslash) {
                    throw endInsideString()
                }
                throw JSONError(
                    offset: escapeStart,
                    reason: "\(escapeText(at: escapeStart)) is a high surrogate not followed by a low surrogate escape"
                )
            }
            let low = try hex4(at: cursor + 2)
            guard low >= 0xDC00, low <= 0xDFFF else {
                throw JSONError(
                    offset: escapeStart,
                    reason: "\(escapeText(at: escapeStart)) is a high surrogate followed by \(escapeText(at: cursor)), not a low surrogate"
                )
            }
            cursor += 6
            appendScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            return
        default:
            throw unexpected(at: cursor + 1, "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u) after '\\'")
        }
        scratch.append(simple)
        cursor += 2
    }

    /// The four hex digits at `offset` as a number.
    private func hex4(at offset: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for index in offset..<(offset + 4) {
            guard index < count else { throw endInsideString() }
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw unexpected(at: index, "expected 4 hex digits after '\\u'")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The six bytes of a `\uXXXX` escape already checked, as written.
    private func escapeText(at offset: Int) -> String {
        makeString(offset..<min(offset + 6, count))
    }

    private mutating func appendScalar(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(truncatingIfNeeded: scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        }
    }
}
