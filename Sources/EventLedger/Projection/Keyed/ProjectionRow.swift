/// A value a ``KeyedProjection`` keeps per key, stored in the ledger in a compact binary form.
///
/// Write the fields in a fixed order with ``EventPayloadWriter`` and read them back in the same
/// order with ``EventPayloadReader``; the reader throws on a short or malformed row, which a
/// persisted projection reports as a damaged row naming the projection and the key.
///
/// ```swift
/// struct MinutesRow: ProjectionRow {
///     var minutes: Int64
///     func encode(into writer: inout EventPayloadWriter) { writer.write(minutes) }
///     init(decoding reader: inout EventPayloadReader) throws { minutes = try reader.readInt64() }
/// }
/// ```
public protocol ProjectionRow: Sendable {
    /// Writes the row.
    func encode(into writer: inout EventPayloadWriter)
    /// Reads a row written by ``encode(into:)``.
    init(decoding reader: inout EventPayloadReader) throws
}
