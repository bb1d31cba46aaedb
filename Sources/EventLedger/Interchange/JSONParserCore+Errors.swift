extension JSONParserCore {
    /// An error saying what was expected at `offset` and what is there, or the UTF-8 error when the
    /// byte there starts an invalid sequence.
    func unexpected(at offset: Int, _ expected: String) -> JSONError {
        guard offset < count else { return JSONError(offset: offset, reason: "\(expected), found end of input") }
        let byte = input[offset]
        let found: String
        switch byte {
        case 0x21...0x7E:
            found = "'\(Character(Unicode.Scalar(byte)))'"
        case ASCII.space:
            found = "a space"
        case 0x00..<0x20, 0x7F:
            found = "control character \(scalarName(UInt32(byte)))"
        default:
            switch decodeUTF8(at: offset) {
            case .valid(let scalar, _): found = scalarName(scalar)
            case .invalid(let reason): return JSONError(offset: offset, reason: reason)
            }
        }
        return JSONError(offset: offset, reason: "\(expected), found \(found)")
    }

    private func scalarName(_ scalar: UInt32) -> String {
        let digits = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The error for a byte that cannot start a value, with a hint for common non-JSON spellings.
    func notAValue(_ context: ValueContext) -> JSONError {
        let byte = input[cursor]
        if hasPrefix("NaN", at: cursor) { return JSONError(offset: cursor, reason: "NaN is not a JSON number") }
        if hasPrefix("Infinity", at: cursor) { return JSONError(offset: cursor, reason: "Infinity is not a JSON number") }
        if byte == ASCII.plus { return JSONError(offset: cursor, reason: "a number cannot start with '+'") }
        if byte == ASCII.dot { return JSONError(offset: cursor, reason: "a number cannot start with '.'") }
        return unexpected(at: cursor, context.expected)
    }

    func controlCharacter(at offset: Int) -> JSONError {
        JSONError(
            offset: offset,
            reason: "control character \(scalarName(UInt32(input[offset]))) must be escaped in a string"
        )
    }

    func endInsideString() -> JSONError {
        JSONError(offset: count, reason: "unexpected end of input inside a string")
    }
}
