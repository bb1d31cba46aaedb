/// A JSON value (RFC 8259), as read by ``JSONParser`` and written by ``JSONWriter``.
///
/// Numbers keep the literal text they were written with (see ``JSONNumber``) and objects keep
/// their members in order (see ``JSONObject``), so a parsed document serializes back to the same
/// values without any loss of precision.
///
/// Equality is structural: two numbers are equal when their literal text is equal (`1` and `1.0`
/// are different values), and two objects are equal when they hold the same members in the same
/// order.
///
/// > Note: Comparing, hashing, serializing or releasing a value recurses once per nesting level.
/// > Values from ``JSONParser`` are at most ``JSONParser/defaultMaximumDepth`` levels deep (or the
/// > depth given to it); a value built in code should stay within a few thousand levels.
public enum JSONValue: Sendable, Hashable {
    /// The literal `null`.
    case null
    /// The literal `true` or `false`.
    case bool(Bool)
    /// A number, kept as its literal text.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array of values, in order.
    case array([JSONValue])
    /// An object: members in their written order, each key once.
    case object(JSONObject)

    /// A number holding an integer exactly.
    ///
    /// - Parameter value: The integer.
    /// - Returns: `.number` whose literal is the decimal digits of `value`.
    public static func number(_ value: Int64) -> JSONValue {
        .number(JSONNumber(value))
    }

    /// A number holding an integer exactly.
    ///
    /// - Parameter value: The integer.
    /// - Returns: `.number` whose literal is the decimal digits of `value`.
    public static func number(_ value: Int) -> JSONValue {
        .number(JSONNumber(Int64(value)))
    }

    /// A number holding a floating-point value, or `null` when the value is not finite.
    ///
    /// JSON has no literal for NaN or an infinity, so those become ``JSONValue/null``.
    ///
    /// - Parameter value: The value.
    /// - Returns: `.number` with the shortest literal that reads back as `value`, or `.null`.
    public static func number(_ value: Double) -> JSONValue {
        guard let number = JSONNumber(value) else { return .null }
        return .number(number)
    }

    /// The kind of this value with its article, for error messages: "null", "a boolean",
    /// "a number", "a string", "an array" or "an object".
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
