public import Foundation

/// An owned copy of a stored event, safe to keep after the read that produced it.
public struct RecordedEvent: Sendable, Hashable {
    /// The position in the log.
    public let position: UInt64
    /// The stream's name.
    public let stream: String
    /// The revision within the stream.
    public let streamRevision: UInt64
    /// The registered type name.
    public let eventType: String
    /// The payload's schema version.
    public let schemaVersion: UInt16
    /// The event's unique id.
    public let id: UUID
    /// When the ledger recorded it.
    public let recordedAt: Timestamp
    /// When it happened in the domain.
    public let occurredAt: Timestamp
    /// Who caused it.
    public let actor: UUID?
    /// The correlation id.
    public let correlationID: UUID?
    /// The causation id.
    public let causationID: UUID?
    /// The payload bytes.
    public let payload: [UInt8]
    /// The chain hash stored with it.
    public let chainHash: ChainHash
    /// The canonical bytes the chain hash covers (header and payload).
    public let canonicalBytes: [UInt8]

    /// Decodes the payload as `E`.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when the record is of another type,
    ///   ``LedgerError/Code/corruptRecord`` when the payload does not decode.
    public func decode<E: LedgerEvent>(as type: E.Type) throws -> E {
        guard eventType == E.eventType else {
            throw LedgerError(.invalidRequest, "event at position \(position) is a \(eventType), not a \(E.eventType)", stream: stream, position: position)
        }
        do {
            return try payload.withUnsafeBytes { try EventTypeRegistry.decode(E.self, $0, schemaVersion: schemaVersion) }
        } catch {
            throw LedgerError(.corruptRecord, "payload of \(eventType) at position \(position) does not decode: \(error)", stream: stream, position: position)
        }
    }
}
