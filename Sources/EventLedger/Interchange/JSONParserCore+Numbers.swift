extension JSONParserCore {
    /// Scans a number literal at `cursor` (a minus sign or a digit), leaving `cursor` after it.
    ///
    /// - Returns: Whether the literal is an integer (no fraction, no exponent).
    @discardableResult
    mutating func scanNumber() throws(JSONError) -> Bool {
        var index = cursor
        if index < count, input[index] == ASCII.minus { index += 1 }
        guard index < count, isDigit(input[index]) else {
            if hasPrefix("Infinity", at: index) {
                throw JSONError(offset: cursor, reason: "-Infinity is not a JSON number")
            }
            throw unexpected(at: index, "expected a digit after '-'")
        }
        if input[index] == ASCII.zero {
            index += 1
            if index < count, isDigit(input[index]) {
                throw JSONError(offset: index - 1, reason: "a number cannot have a leading zero")
            }
        } else {
            while index < count, isDigit(input[index]) { index += 1 }
        }
        var isInteger = true
        if index < count, input[index] == ASCII.dot {
            isInteger = false
            index += 1
            guard index < count, isDigit(input[index]) else {
                throw unexpected(at: index, "expected a digit after the decimal point")
            }
            while index < count, isDigit(input[index]) { index += 1 }
        }
        if index < count, input[index] == UInt8(ascii: "e") || input[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < count, input[index] == ASCII.plus || input[index] == ASCII.minus { index += 1 }
            guard index < count, isDigit(input[index]) else {
                throw unexpected(at: index, "expected a digit in the exponent")
            }
            while index < count, isDigit(input[index]) { index += 1 }
        }
        cursor = index
        return isInteger
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= ASCII.zero && byte <= ASCII.nine }
}
