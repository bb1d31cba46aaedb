import Foundation

/// A ``LedgerEvent`` whose payload is its `Codable` representation as JSON: the fallback for types
/// that do not need a hand-written binary codec.
///
/// ```swift
/// struct NoteAdded: CodableLedgerEvent {
///     static let eventType = "NoteAdded"
///     var text: String
/// }
/// ```
///
/// JSON is slower to decode than a binary codec; prefer ``LedgerEvent`` for high-volume types.
public protocol CodableLedgerEvent: LedgerEvent, Codable {}

extension CodableLedgerEvent {
    public func encodePayload(into writer: inout EventPayloadWriter) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        writer.writeRawBytes(data)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        let data = Data(reader.readRemainingBytes())
        do {
            self = try JSONDecoder().decode(Self.self, from: data)
        } catch {
            throw EventPayloadError(offset: 0, reason: "JSON payload of \(Self.eventType) does not decode: \(error)")
        }
    }
}
