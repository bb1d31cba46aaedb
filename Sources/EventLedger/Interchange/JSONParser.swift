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
