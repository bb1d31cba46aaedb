public import EventLedger
public import Foundation

/// A small binary-codec event used across the kernel tests.
public struct SampleEvent: LedgerEvent, Equatable {
    public static let eventType = "Sample"
    public var sequence: UInt64
    public var text: String

    public init(sequence: UInt64, text: String = "") {
        self.sequence = sequence
        self.text = text
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(sequence)
        writer.write(text)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        sequence = try reader.readUInt64()
        text = try reader.readString()
    }
}

/// An event whose validation rejects a negative amount, to test that invalid events are refused.
public struct AmountRecorded: LedgerEvent, Equatable {
    public static let eventType = "AmountRecorded"
    public var amount: Int64

    public init(amount: Int64) { self.amount = amount }

    public func encodePayload(into writer: inout EventPayloadWriter) { writer.write(amount) }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        amount = try reader.readInt64()
    }

    public func validate() throws {
        if amount < 0 {
            throw LedgerError(.invalidEvent, "amount must not be negative, got \(amount)")
        }
    }
}

/// A `Codable` fallback event.
public struct NoteAdded: CodableLedgerEvent, Equatable {
    public static let eventType = "NoteAdded"
    public var note: String
    public var author: UUID?

    public init(note: String, author: UUID? = nil) {
        self.note = note
        self.author = author
    }
}

extension EventTypeRegistry {
    /// A registry with every sample type.
    public static func samples() throws -> EventTypeRegistry {
        var registry = EventTypeRegistry()
        try registry.register(SampleEvent.self)
        try registry.register(AmountRecorded.self)
        try registry.register(NoteAdded.self)
        return registry
    }
}

extension ProposedEvent {
    /// A sample event with sequence `n`.
    public static func sample(_ n: UInt64, text: String = "", id: UUID = UUID(), occurredAt: Timestamp? = nil) throws -> ProposedEvent {
        try ProposedEvent(SampleEvent(sequence: n, text: text), id: id, occurredAt: occurredAt)
    }
}
