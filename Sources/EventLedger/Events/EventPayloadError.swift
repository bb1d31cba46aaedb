/// A payload that cannot be decoded: it ends early, holds an impossible length or value, or
/// carries bytes its codec does not expect.
///
/// The ledger wraps it in a ``LedgerError`` naming the position and the event type.
public struct EventPayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset in the payload where decoding failed.
    public let offset: Int
    /// What was wrong, naming the field when the codec gives one.
    public let reason: String

    /// Creates an error at `offset` with a reason.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) (at payload byte \(offset))" }
}
