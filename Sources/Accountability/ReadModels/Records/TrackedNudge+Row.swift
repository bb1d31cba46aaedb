import EventLedger
import Foundation

/// A ``TrackedNudge`` (a NudgeSent) in a record: rule (one byte, a ``NudgeRule`` raw value),
/// subject, recipient, at. An unknown rule is an error.
extension TrackedNudge: RecordField {
    static var minimumEncodedSize: Int { 1 + 16 + 16 + 8 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(rule)
        writer.write(subject)
        writer.write(recipient)
        writer.write(at)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        let ruleAt = reader.offset
        rule = try reader.readUInt8()
        guard NudgeRule(rawValue: rule) != nil else {
            throw EventPayloadError(offset: ruleAt, reason: "unknown nudge rule \(rule)")
        }
        subject = try reader.readUUID()
        recipient = try reader.readUUID()
        at = try reader.readTimestamp()
    }
}
