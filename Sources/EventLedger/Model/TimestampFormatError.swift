/// Text that is not an RFC 3339 timestamp a ``Timestamp`` can hold.
///
/// The reason names the part at fault, for example "month 13 is not 01-12" or "second 60 is a leap
/// second, which a Timestamp cannot represent".
public struct TimestampFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text that was given.
    public let text: String
    /// What is wrong with it.
    public let reason: String

    /// Creates an error for `text` with a reason.
    ///
    /// - Parameters:
    ///   - text: The text that was given.
    ///   - reason: What is wrong with it.
    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    /// The text (shortened when long) and the reason, for example
    /// `"2026-13-01T00:00:00Z" is not an RFC 3339 timestamp: month 13 is not 01-12`.
    public var description: String {
        let shown = text.count > 64 ? text.prefix(64) + "…" : Substring(text)
        return "\"\(shown)\" is not an RFC 3339 timestamp: \(reason)"
    }
}
