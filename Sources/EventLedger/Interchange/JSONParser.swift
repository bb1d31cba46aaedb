/// A strict JSON parser (RFC 8259) for untrusted input.
///
/// The parser accepts exactly one value, optionally surrounded by whitespace (space, tab, line feed,
/// carriage return), and rejects everything else with a ``JSONError`` naming the byte at fault:
///
/// - the whole input must be valid UTF-8: overlong encodings, encoded surrogates, code points above
///   U+10FFFF, truncated sequences and bytes that never occur in UTF-8 are rejected, and so is a
///   leading byte order mark;
/// - strings may not hold unescaped control characters (below U+0020); the escapes are `\"` `\\`
///   `\/` `\b` `\f` `\n` `\r` `\t` and `\uXXXX`, with surrogate pairs combined and a lone or
///   mis-ordered surrogate rejected (`\u0000` is allowed);
/// - numbers follow the grammar exactly (see ``JSONNumber``) and keep their text;
/// - an object may not repeat a key (keys are compared as Swift strings, so canonically equivalent
///   spellings such as `"é"` and `"e\u0301"` count as the same key);
/// - containers may nest at most `maximumDepth` levels.
///
/// Parsing takes time and memory in proportion to the input and never recurses, so no input can
/// overflow the stack, whatever the depth limit.
///
/// ```swift
/// let value = try JSONParser.parse(#"{"type":"GoalSet","version":1}"#)
/// if case .object(let object) = value, case .number(let version)? = object["version"] {
///     print(version.int64 ?? 0)  // 1
/// }
/// ```
public enum JSONParser {
    /// The nesting depth allowed unless a call asks for another: 64 levels of arrays and objects.
    public static let defaultMaximumDepth = 64

    /// Parses one JSON document from bytes.
    ///
    /// - Parameters:
    ///   - bytes: The document as UTF-8. The buffer is only read during the call.
    ///   - maximumDepth: How many arrays and objects may be open at once; a scalar at the top has
    ///     depth 0, `[]` depth 1. A negative value allows no containers.
    /// - Returns: The value.
    /// - Throws: ``JSONError`` naming the first byte at fault.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer,
        maximumDepth: Int = defaultMaximumDepth
    ) throws(JSONError) -> JSONValue {
        var core = JSONParserCore(bytes, maximumDepth: maximumDepth)
        return try core.parseDocument()
    }

    /// Parses one JSON document from bytes.
    ///
    /// - Parameters:
    ///   - bytes: The document as UTF-8.
    ///   - maximumDepth: How many arrays and objects may be open at once.
    /// - Returns: The value.
    /// - Throws: ``JSONError`` naming the first byte at fault.
    public static func parse(
        _ bytes: [UInt8],
        maximumDepth: Int = defaultMaximumDepth
    ) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONError) -> JSONValue in try parse(buffer, maximumDepth: maximumDepth) }
        }
        return try result.get()
    }

    /// Parses one JSON document from a string.
    ///
    /// Offsets in errors count the string's UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - text: The document.
    ///   - maximumDepth: How many arrays and objects may be open at once.
    /// - Returns: The value.
    /// - Throws: ``JSONError`` naming the first byte at fault.
    public static func parse(
        _ text: String,
        maximumDepth: Int = defaultMaximumDepth
    ) throws(JSONError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONError) -> JSONValue in
                try parse(UnsafeRawBufferPointer(buffer), maximumDepth: maximumDepth)
            }
        }
        return try result.get()
    }
}

/// ASCII bytes the parser compares against.
private enum ASCII {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
}

/// The result of decoding one UTF-8 sequence.
private enum UTF8Sequence {
    case valid(scalar: UInt32, length: Int)
    case invalid(reason: String)
}

/// The state of one parse: the input, the position, and the containers open so far.
///
/// Containers are kept on explicit stacks rather than the call stack: `values` holds the finished
/// values of every open container, `keys` the keys of every open object, and `frames` where each
/// open container's share of them starts.
struct JSONParserCore {
    private struct Frame {
        let isObject: Bool
        /// Where this container's values start in `values`.
        let valueStart: Int
        /// Where this object's keys start in `keys`.
        let keyStart: Int
        /// This object's keys as a set, once it has enough of them that a linear scan would be slow.
        var keySet: Set<String>?
    }

    /// Where the parser stands when it needs a value, for the error message when none is there.
    private enum ValueContext {
        case document, arrayStart, arrayElement, memberValue

        var expected: String {
            switch self {
            case .document: "expected a value"
            case .arrayStart: "expected a value or ']' after '['"
            case .arrayElement: "expected a value after ',' in an array"
            case .memberValue: "expected a value after ':'"
            }
        }
    }

    /// Objects with at least this many keys check for duplicates with a set instead of a scan.
    private static let keySetThreshold = 32

    private let input: UnsafeBufferPointer<UInt8>
    private let count: Int
    private let maximumDepth: Int
    /// The offset of the next byte to read.
    private(set) var cursor = 0
    private var values: [JSONValue] = []
    private var keys: [String] = []
    private var frames: [Frame] = []
    /// Reused for strings that hold escapes.
    private var scratch: [UInt8] = []

    init(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        // Reading bytes as UInt8 is valid whatever the memory holds: UInt8 is a trivial type that
        // every byte value inhabits.
        self.input = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        self.count = bytes.count
        self.maximumDepth = max(0, maximumDepth)
    }

    // MARK: - Document and containers

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        guard count > 0 else { throw JSONError(offset: 0, reason: "empty input") }
        if count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF {
            throw JSONError(offset: 0, reason: "a byte order mark (U+FEFF) is not allowed before the value")
        }
        skipWhitespace()
        try parseValueTree()
        skipWhitespace()
        if cursor < count { throw unexpected(at: cursor, "expected end of input after the value") }
        guard values.count == 1, let value = values.last else {
            // Unreachable: a completed tree leaves exactly one value. Reported rather than trapped.
            throw JSONError(offset: cursor, reason: "internal parser error")
        }
        return value
    }

    /// Parses one value, with every container in it, leaving it on top of `values`.
    private mutating func parseValueTree() throws(JSONError) {
        var context = ValueContext.document
        while true {
            // A value is expected at `cursor` (whitespace already skipped).
            guard cursor < count else { throw unexpected(at: cursor, context.expected) }
            let byte = input[cursor]
            switch byte {
            case ASCII.openBrace:
                try checkDepth()
                cursor += 1
                skipWhitespace()
                if cursor < count, input[cursor] == ASCII.closeBrace {
                    cursor += 1
                    values.append(.object(.empty))
                } else if cursor < count, input[cursor] == ASCII.quote {
                    frames.append(Frame(isObject: true, valueStart: values.count, keyStart: keys.count, keySet: nil))
                    try parseKeyAndColon()
                    context = .memberValue
                    continue
                } else {
                    throw unexpected(at: cursor, "expected a string key or '}' after '{'")
                }
            case ASCII.openBracket:
                try checkDepth()
                cursor += 1
                skipWhitespace()
                if cursor < count, input[cursor] == ASCII.closeBracket {
                    cursor += 1
                    values.append(.array([]))
                } else {
                    frames.append(Frame(isObject: false, valueStart: values.count, keyStart: keys.count, keySet: nil))
                    context = .arrayStart
                    continue
                }
            case ASCII.quote:
                values.append(.string(try parseString()))
            case UInt8(ascii: "t"):
                try parseLiteral("true")
                values.append(.bool(true))
            case UInt8(ascii: "f"):
                try parseLiteral("false")
                values.append(.bool(false))
            case UInt8(ascii: "n"):
                try parseLiteral("null")
                values.append(.null)
            case ASCII.minus, ASCII.zero...ASCII.nine:
                let start = cursor
                _ = try scanNumber()
                values.append(.number(JSONNumber(validatedText: makeString(start..<cursor))))
            default:
                throw notAValue(context)
            }

            // A value is complete: close every container it completes, or find where the next starts.
            while let frame = frames.last {
                skipWhitespace()
                let next: UInt8? = cursor < count ? input[cursor] : nil
                if frame.isObject {
                    if next == ASCII.comma {
                        cursor += 1
                        skipWhitespace()
                        guard cursor < count, input[cursor] == ASCII.quote else {
                            throw unexpected(at: cursor, "expected a string key after ',' in an object")
                        }
                        try parseKeyAndColon()
                        context = .memberValue
                        break
                    } else if next == ASCII.closeBrace {
                        cursor += 1
                        closeObject(frame)
                    } else {
                        throw unexpected(at: cursor, "expected ',' or '}' after an object member")
                    }
                } else {
                    if next == ASCII.comma {
                        cursor += 1
                        skipWhitespace()
                        context = .arrayElement
                        break
                    } else if next == ASCII.closeBracket {
                        cursor += 1
                        closeArray(frame)
                    } else {
                        throw unexpected(at: cursor, "expected ',' or ']' after an array element")
                    }
                }
            }
            if frames.isEmpty { return }
        }
    }

    private func checkDepth() throws(JSONError) {
        if frames.count >= maximumDepth {
            throw JSONError(offset: cursor, reason: "nesting deeper than the maximum depth of \(maximumDepth)")
        }
    }

    private mutating func closeArray(_ frame: Frame) {
        let elements = Array(values[frame.valueStart...])
        values.removeSubrange(frame.valueStart...)
        frames.removeLast()
        values.append(.array(elements))
    }

    private mutating func closeObject(_ frame: Frame) {
        var members: [JSONMember] = []
        members.reserveCapacity(values.count - frame.valueStart)
        for (key, value) in zip(keys[frame.keyStart...], values[frame.valueStart...]) {
            members.append(JSONMember(key: key, value: value))
        }
        values.removeSubrange(frame.valueStart...)
        keys.removeSubrange(frame.keyStart...)
        frames.removeLast()
        values.append(.object(JSONObject(uniqueMembers: members)))
    }

    /// Parses a key at `cursor` (a quote) into the innermost object, then the colon after it.
    private mutating func parseKeyAndColon() throws(JSONError) {
        let keyOffset = cursor
        let key = try parseString()
        let frameIndex = frames.count - 1
        let keyStart = frames[frameIndex].keyStart
        let keyCount = keys.count - keyStart
        var isDuplicate: Bool
        if keyCount < Self.keySetThreshold {
            isDuplicate = false
            var index = keyStart
            while index < keys.count {
                if keys[index] == key {
                    isDuplicate = true
                    break
                }
                index += 1
            }
        } else {
            if frames[frameIndex].keySet == nil {
                frames[frameIndex].keySet = Set(keys[keyStart...])
            }
            isDuplicate = frames[frameIndex].keySet?.insert(key).inserted == false
        }
        if isDuplicate {
            var writer = JSONWriter()
            writer.writeString(key)
            throw JSONError(offset: keyOffset, reason: "duplicate key \(writer.string)")
        }
        keys.append(key)
        skipWhitespace()
        guard cursor < count, input[cursor] == ASCII.colon else {
            throw unexpected(at: cursor, "expected ':' after object key")
        }
        cursor += 1
        skipWhitespace()
    }

    // MARK: - Scalars

    private mutating func skipWhitespace() {
        while cursor < count {
            let byte = input[cursor]
            guard byte == ASCII.space || byte == ASCII.lineFeed || byte == ASCII.carriageReturn || byte == ASCII.tab else {
                return
            }
            cursor += 1
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws(JSONError) {
        var index = 0
        let length = word.utf8CodeUnitCount
        while index < length {
            let offset = cursor + index
            guard offset < count, input[offset] == word.utf8Start[index] else {
                throw unexpected(at: offset, "expected '\(word)'")
            }
            index += 1
        }
        cursor += length
    }

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

    /// Parses a string at `cursor` (the opening quote), leaving `cursor` after the closing quote.
    private mutating func parseString() throws(JSONError) -> String {
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

    // MARK: - Bytes

    private func isDigit(_ byte: UInt8) -> Bool { byte >= ASCII.zero && byte <= ASCII.nine }

    private func hasPrefix(_ word: StaticString, at offset: Int) -> Bool {
        let length = word.utf8CodeUnitCount
        guard offset >= 0, length <= count - offset else { return false }
        for index in 0..<length where input[offset + index] != word.utf8Start[index] { return false }
        return true
    }

    /// A string from input bytes already known to be valid UTF-8.
    private func makeString(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: input[range]), as: UTF8.self)
    }

    /// The length of the valid UTF-8 sequence of two or more bytes at `offset`.
    private func validUTF8Length(at offset: Int) throws(JSONError) -> Int {
        switch decodeUTF8(at: offset) {
        case .valid(_, let length): return length
        case .invalid(let reason): throw JSONError(offset: offset, reason: reason)
        }
    }

    /// Decodes the UTF-8 sequence at `offset` (a byte of 0x80 or more) by the well-formed byte
    /// sequences of the Unicode Standard (table 3-7).
    private func decodeUTF8(at offset: Int) -> UTF8Sequence {
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

    // MARK: - Errors

    /// An error saying what was expected at `offset` and what is there, or the UTF-8 error when the
    /// byte there starts an invalid sequence.
    private func unexpected(at offset: Int, _ expected: String) -> JSONError {
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
    private func notAValue(_ context: ValueContext) -> JSONError {
        let byte = input[cursor]
        if hasPrefix("NaN", at: cursor) { return JSONError(offset: cursor, reason: "NaN is not a JSON number") }
        if hasPrefix("Infinity", at: cursor) { return JSONError(offset: cursor, reason: "Infinity is not a JSON number") }
        if byte == ASCII.plus { return JSONError(offset: cursor, reason: "a number cannot start with '+'") }
        if byte == ASCII.dot { return JSONError(offset: cursor, reason: "a number cannot start with '.'") }
        return unexpected(at: cursor, context.expected)
    }

    private func controlCharacter(at offset: Int) -> JSONError {
        JSONError(
            offset: offset,
            reason: "control character \(scalarName(UInt32(input[offset]))) must be escaped in a string"
        )
    }

    private func endInsideString() -> JSONError {
        JSONError(offset: count, reason: "unexpected end of input inside a string")
    }
}
