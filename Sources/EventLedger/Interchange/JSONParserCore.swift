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
    enum ValueContext {
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

    let input: UnsafeBufferPointer<UInt8>
    let count: Int
    private let maximumDepth: Int
    /// The offset of the next byte to read.
    var cursor = 0
    private var values: [JSONValue] = []
    private var keys: [String] = []
    private var frames: [Frame] = []
    /// Reused for strings that hold escapes.
    var scratch: [UInt8] = []

    init(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        // Reading bytes as UInt8 is valid whatever the memory holds: UInt8 is a trivial type that
        // every byte value inhabits.
        self.input = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        self.count = bytes.count
        self.maximumDepth = max(0, maximumDepth)
    }

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
}
