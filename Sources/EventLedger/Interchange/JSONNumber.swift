/// A JSON number, kept as the literal text it was written with.
///
/// Keeping the text means no precision is lost between reading and writing: a 20-digit integer or a
/// decimal fraction serializes back exactly as it came in. Read it as an integer with ``int64`` or
/// as a floating-point value with ``double``.
///
/// The text always matches the number grammar of RFC 8259:
/// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
///
/// Two numbers are equal when their text is equal, so `1`, `1.0` and `1e0` are three different
/// numbers; compare ``int64`` or ``double`` to compare their values.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal exactly as written, for example `-12`, `0.5` or `6.02e23`.
    public let text: String

    /// Creates a number holding an integer exactly.
    ///
    /// - Parameter value: The integer; the text is its decimal digits, for example `-42`.
    public init(_ value: Int64) {
        self.text = String(value)
    }

    /// Creates a number from a finite floating-point value, or `nil` for NaN and the infinities,
    /// which JSON cannot write.
    ///
    /// The text is the shortest one that reads back as exactly `value` (Swift's `description`,
    /// for example `0.5`, `12.0` or `1e-05`).
    ///
    /// - Parameter value: The value.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        let text = value.description
        // Swift's shortest round-trip form is always in the JSON grammar; checked rather than assumed.
        guard JSONNumber.isValid(text) else { return nil }
        self.text = text
    }

    /// Creates a number from its literal text, or `nil` when the text is not a JSON number.
    ///
    /// The whole text must match the grammar of RFC 8259 with nothing around it: no leading `+`,
    /// no leading zeros (`01`), a digit on both sides of a decimal point (not `.5` or `5.`), at
    /// least one exponent digit, and no `NaN` or `Infinity`.
    ///
    /// - Parameter text: The literal, for example `-0.25e+3`.
    public init?(text: String) {
        guard JSONNumber.isValid(text) else { return nil }
        self.text = text
    }

    /// Creates a number from text the parser has already checked against the grammar.
    init(validatedText: String) {
        self.text = validatedText
    }

    /// Whether the literal is written as an integer: no fraction and no exponent.
    ///
    /// `1.0` and `1e3` are not written as integers even though their values are whole; an integer
    /// literal can still be too large for ``int64``.
    public var isInteger: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as a 64-bit integer, when the literal is an integer (see ``isInteger``) in the range
    /// of `Int64`; `nil` otherwise. `-0` gives `0`.
    public var int64: Int64? {
        guard isInteger else { return nil }
        var value: Int64 = 0
        var negative = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            let digit = Int64(byte &- UInt8(ascii: "0"))
            guard digit >= 0, digit <= 9 else { return nil }
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            // Accumulates negatively, so Int64.min, whose magnitude has no positive Int64, reads too.
            let (next, overflowAdd) = negative
                ? shifted.subtractingReportingOverflow(digit)
                : shifted.addingReportingOverflow(digit)
            if overflowShift || overflowAdd { return nil }
            value = next
        }
        return value
    }

    /// The value as the nearest `Double`, or `nil` when it is too large for one (it would be an
    /// infinity, like `1e400`). A value too small for a `Double`, like `1e-400`, reads as zero.
    public var double: Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// The literal text.
    public var description: String { text }

    /// Whether `text` is exactly one number literal.
    private static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first, first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
                return false
            }
            var core = JSONParserCore(UnsafeRawBufferPointer(bytes), maximumDepth: 0)
            guard (try? core.scanNumber()) != nil else { return false }
            return core.cursor == bytes.count
        }
    }
}
