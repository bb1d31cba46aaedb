public import Foundation

/// An event ready to be appended: its type, encoded payload and envelope metadata.
///
/// Build one from a typed event (validated and encoded on the spot) or from raw bytes (checked
/// against the registered codec when appended, so an undecodable payload is never stored).
public struct ProposedEvent: Sendable, Equatable {
    /// The event's unique id. Appending an id that is already stored is an idempotent retry.
    /// When none is given, a new time-ordered id (``Foundation/UUID/timeOrdered(now:)``), which
    /// keeps the ledger's id index compact to append to.
    public var id: UUID
    /// The registered type name.
    public let eventType: String
    /// The payload's schema version.
    public let schemaVersion: UInt16
    /// The encoded payload.
    public let payload: [UInt8]
    /// When it happened in the domain (may be before it is recorded); `nil` records the ledger's time.
    public var occurredAt: Timestamp?
    /// Who caused it, when known.
    public var actor: UUID?
    /// The id of the conversation or workflow it belongs to.
    public var correlationID: UUID?
    /// The id of the event or command that caused it.
    public var causationID: UUID?
    /// Whether the payload was produced by the type's own codec (no decode check needed on append).
    let isEncodedFromTypedEvent: Bool

    /// Validates `event` (``LedgerEvent/validate()``) and encodes it.
    ///
    /// - Throws: what `validate()` throws, or what the codec throws.
    public init<E: LedgerEvent>(
        _ event: E,
        id: UUID = .timeOrdered(),
        occurredAt: Timestamp? = nil,
        actor: UUID? = nil,
        correlationID: UUID? = nil,
        causationID: UUID? = nil
    ) throws {
        try event.validate()
        var writer = EventPayloadWriter()
        try event.encodePayload(into: &writer)
        self.id = id
        self.eventType = E.eventType
        self.schemaVersion = E.schemaVersion
        self.payload = writer.bytes
        self.occurredAt = occurredAt
        self.actor = actor
        self.correlationID = correlationID
        self.causationID = causationID
        self.isEncodedFromTypedEvent = true
    }

    /// An event from already-encoded bytes (an import, a copy from another ledger). The payload is
    /// decoded with the registered codec when appended; if it does not decode, the append fails
    /// and nothing is written.
    public init(
        eventType: String,
        schemaVersion: UInt16,
        payload: [UInt8],
        id: UUID = .timeOrdered(),
        occurredAt: Timestamp? = nil,
        actor: UUID? = nil,
        correlationID: UUID? = nil,
        causationID: UUID? = nil
    ) {
        self.id = id
        self.eventType = eventType
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.occurredAt = occurredAt
        self.actor = actor
        self.correlationID = correlationID
        self.causationID = causationID
        self.isEncodedFromTypedEvent = false
    }

    public static func == (lhs: ProposedEvent, rhs: ProposedEvent) -> Bool {
        lhs.id == rhs.id && lhs.eventType == rhs.eventType && lhs.schemaVersion == rhs.schemaVersion
            && lhs.payload == rhs.payload && lhs.occurredAt == rhs.occurredAt && lhs.actor == rhs.actor
            && lhs.correlationID == rhs.correlationID && lhs.causationID == rhs.causationID
    }
}
