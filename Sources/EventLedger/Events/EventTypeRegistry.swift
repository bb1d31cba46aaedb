/// The event types a ledger can append and decode.
///
/// Register every type before opening the ledger:
///
/// ```swift
/// var registry = EventTypeRegistry()
/// try registry.register(MilestoneReached.self)
/// let ledger = try Ledger(directory: url, registry: registry)
/// ```
///
/// Appending an unregistered type fails with ``LedgerError/Code/unknownEventType``. Reading an
/// unregistered type works at the envelope level (``EventRecord``); only decoding its payload needs
/// the registration.
public struct EventTypeRegistry: Sendable {
    struct Entry: Sendable {
        let eventType: String
        let schemaVersion: UInt16
        let swiftType: ObjectIdentifier
        /// Whether the payload is the type's JSON (``CodableLedgerEvent``).
        let payloadIsJSON: Bool
        let decode: @Sendable (UnsafeRawBufferPointer, UInt16) throws -> any LedgerEvent
    }

    private(set) var entries: [String: Entry] = [:]

    /// Creates an empty registry.
    public init() {}

    /// Registers `type` under its ``LedgerEvent/eventType`` name. Registering the same type again is
    /// harmless.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when the name is empty, longer than 200 bytes,
    ///   or already taken by a different Swift type, or when the schema version is 0.
    public mutating func register<E: LedgerEvent>(_ type: E.Type) throws {
        let name = E.eventType
        guard !name.isEmpty, name.utf8.count <= 200 else {
            throw LedgerError(.invalidRequest, "event type name '\(name)' must be 1 to 200 bytes long")
        }
        guard E.schemaVersion >= 1 else {
            throw LedgerError(.invalidRequest, "event type '\(name)' declares schema version 0; versions start at 1")
        }
        if let existing = entries[name] {
            guard existing.swiftType == ObjectIdentifier(type) else {
                throw LedgerError(.invalidRequest, "event type name '\(name)' is already registered for another Swift type")
            }
            return
        }
        entries[name] = Entry(
            eventType: name,
            schemaVersion: E.schemaVersion,
            swiftType: ObjectIdentifier(type),
            payloadIsJSON: type is any CodableLedgerEvent.Type,
            decode: { bytes, version in try Self.decode(E.self, bytes, schemaVersion: version) }
        )
    }

    /// Whether a type of this name is registered.
    public func isRegistered(_ eventType: String) -> Bool { entries[eventType] != nil }

    /// The registered type names, sorted.
    public var eventTypes: [String] { entries.keys.sorted() }

    /// Whether a registered type's payload is its JSON (a ``CodableLedgerEvent``), so that an
    /// export can show it as readable data that a verifier checks against the bytes.
    public func payloadIsJSON(_ eventType: String) -> Bool { entries[eventType]?.payloadIsJSON ?? false }

    /// The current schema version of a registered type.
    public func schemaVersion(of eventType: String) -> UInt16? { entries[eventType]?.schemaVersion }

    /// Decodes a payload of a registered type, as the ledger does when reading.
    ///
    /// - Throws: ``LedgerError/Code/unknownEventType`` for an unregistered name,
    ///   ``EventPayloadError`` when the bytes do not decode.
    public func decode(eventType: String, schemaVersion: UInt16, payload: UnsafeRawBufferPointer) throws -> any LedgerEvent {
        guard let entry = entries[eventType] else {
            throw LedgerError(.unknownEventType, "event type '\(eventType)' is not registered")
        }
        return try entry.decode(payload, schemaVersion)
    }

    /// Decodes a payload as `E`, checking the schema version and that every byte was consumed.
    @inline(__always)
    static func decode<E: LedgerEvent>(_ type: E.Type, _ payload: UnsafeRawBufferPointer, schemaVersion: UInt16) throws -> E {
        guard schemaVersion >= 1, schemaVersion <= E.schemaVersion else {
            throw EventPayloadError(offset: 0, reason: "\(E.eventType) schema version \(schemaVersion) is not one this program reads (1 to \(E.schemaVersion))")
        }
        var reader = EventPayloadReader(payload)
        let event = try E(payload: &reader, schemaVersion: schemaVersion)
        try reader.expectEnd(E.eventType)
        return event
    }
}
