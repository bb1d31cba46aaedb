/// A document that is not valid JSON, or is deeper than the parser allows.
///
/// The offset is the position of the first byte at fault, counted in UTF-8 bytes from the start of
/// the input (the input's length when it ends too early), and the reason says what was expected
/// and what was found there.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte offset in the input where parsing failed.
    public let offset: Int
    /// What was wrong, for example "expected ':' after object key, found '}'".
    public let reason: String

    /// Creates an error at `offset` with a reason.
    ///
    /// - Parameters:
    ///   - offset: The byte offset in the input.
    ///   - reason: What was wrong.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// The offset and the reason, for example
    /// "byte 17: expected ',' or '}' after an object member, found 'x'".
    public var description: String { "byte \(offset): \(reason)" }
}
