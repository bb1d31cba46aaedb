/// An event type the ledger can store and decode.
///
/// Give it a stable ``eventType`` name (stored once per ledger and mapped to a small tag), a
/// ``schemaVersion``, and a compact binary codec:
///
/// ```swift
/// struct MilestoneReached: LedgerEvent {
///     static let eventType = "MilestoneReached"
///     var milestone: UUID
///     var note: String
///
///     func encodePayload(into writer: inout EventPayloadWriter) {
///         writer.write(milestone)
///         writer.write(note)
///     }
///     init(milestone: UUID, note: String) { self.milestone = milestone; self.note = note }
///     init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
///         milestone = try reader.readUUID()
///         note = try reader.readString()
///     }
/// }
/// ```
///
/// Types that would rather not write a codec conform to ``CodableLedgerEvent`` instead.
///
/// **Schema evolution.** Each stored event keeps the schema version it was written with, and the
/// decoder receives it: when a type gains a field, bump ``schemaVersion`` and read old versions
/// without the field (upcasting).
public protocol LedgerEvent: Sendable {
    /// The stable name of the type, unique within a ledger.
    static var eventType: String { get }
    /// The version of the payload layout written by ``encodePayload(into:)``. Default: 1.
    static var schemaVersion: UInt16 { get }
    /// Writes the payload.
    func encodePayload(into writer: inout EventPayloadWriter) throws
    /// Reads a payload written with `schemaVersion` (possibly older than the current one).
    init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws
    /// Checks the event's own invariants before it is appended; throws a ``LedgerError`` with
    /// ``LedgerError/Code/invalidEvent`` (or any error) naming the field at fault. Default: accepts.
    func validate() throws
}

extension LedgerEvent {
    public static var schemaVersion: UInt16 { 1 }
    public func validate() throws {}
}
