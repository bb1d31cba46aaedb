public import EventLedger
import Foundation

/// One line of the interchange format (Docs/ExportFormat.md), read into a command:
///
/// ```
/// {"type":"SessionHeld","stream":"mentorship/6f1c…","occurredAt":"2026-03-01T15:00:00Z",
///  "actor":"2b9e…","id":"…","data":{"session":"…","minutes":45,"attendees":["…"]}}
/// ```
///
/// - `type`, `stream` (`mentorship/<uuid>`), `occurredAt` (RFC 3339), `actor` (a UUID) and `data`
///   (the type's fields) are required; `data` may be left out for a type without fields.
/// - `id` is optional: a new time-ordered id is generated when it is absent. Give ids to make a
///   re-import idempotent.
/// - `correlationID` and `causationID` are optional UUIDs.
/// - The fields `ledger export` adds (`position`, `revision`, `recordedAt`, `schemaVersion`,
///   `previousHash`, `chainHash`, `canonical`, `payload`) are accepted and ignored, so an export
///   imports into another ledger; that ledger assigns its own positions, times and hashes.
/// - Any other field, at the top level or in `data`, is an error.
public enum InterchangeLine {
    /// The export-only fields that an import ignores.
    public static let ignoredFields: Set<String> = [
        "position", "revision", "recordedAt", "schemaVersion", "previousHash", "chainHash", "canonical", "payload", "seal",
    ]

    /// Reads one line (its bytes, without the line break).
    ///
    /// - Throws: ``InterchangeError`` naming the field (`line` when the bytes are not one JSON
    ///   object). Its ``InterchangeError/line`` is not set; the caller knows the line number.
    public static func command(from bytes: UnsafeRawBufferPointer) throws(InterchangeError) -> MentorshipCommand {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InterchangeError(field: "line", "is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw InterchangeError(field: "line", "is \(value.typeName); expected one JSON object per line")
        }
        return try command(from: object)
    }

    /// Reads one line given as text; see ``command(from:)-(UnsafeRawBufferPointer)``.
    public static func command(from text: String) throws(InterchangeError) -> MentorshipCommand {
        let bytes = Array(text.utf8)
        let result: Result<MentorshipCommand, InterchangeError> = bytes.withUnsafeBytes { buffer in
            do throws(InterchangeError) {
                return .success(try command(from: buffer))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads one parsed line.
    public static func command(from object: JSONObject) throws(InterchangeError) -> MentorshipCommand {
        var fields = InterchangeFields(object, path: "")
        let type = try fields.string("type")
        let streamName = try fields.string("stream")
        guard let mentorship = MentorshipStream.mentorship(inStream: streamName),
              streamName.utf8.count == MentorshipStream.prefix.utf8.count + 36 else {
            throw InterchangeError(field: "stream", "\"\(streamName.prefix(80))\" is not a mentorship stream (\(MentorshipStream.prefix)<uuid>)")
        }
        let occurredAt = try fields.timestamp("occurredAt")
        let actor = try fields.uuid("actor")
        let id = try fields.optionalUUID("id") ?? .timeOrdered()
        let correlationID = try fields.optionalUUID("correlationID")
        let causationID = try fields.optionalUUID("causationID")
        let data: JSONObject
        switch fields.value("data") {
        case nil: data = JSONObject([])
        case .object(let object)?: data = object
        case let other?: throw fields.mistyped("data", other, "an object")
        }
        for key in ignoredFields { _ = fields.value(key) }
        try fields.finish("an interchange line (type, stream, occurredAt, actor, id, correlationID, causationID, data)")
        let event = try InterchangeDataDecoder.decode(type: type, data: data, mentorship: mentorship)
        var command = MentorshipCommand(event: event, mentorship: mentorship, by: actor, at: occurredAt, id: id)
        command.correlationID = correlationID
        command.causationID = causationID
        return command
    }

    /// The interchange line of a command (without the export-only fields), as a JSON object.
    public static func object(for command: MentorshipCommand) -> JSONObject {
        var line = ObjectBuilder()
        line.add("type", command.event.eventType)
        line.add("stream", command.stream)
        line.add("occurredAt", command.occurredAt)
        line.add("actor", command.actor)
        line.add("id", command.id)
        line.add("correlationID", command.correlationID)
        line.add("causationID", command.causationID)
        line.add("data", .object(InterchangeDataEncoder.encode(command.event)))
        return JSONObject(line.members)
    }

    /// The `data` object of a built-in event.
    public static func data(of event: AccountabilityEvent) -> JSONObject {
        InterchangeDataEncoder.encode(event)
    }
}
