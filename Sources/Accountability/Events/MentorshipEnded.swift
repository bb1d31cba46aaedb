public import EventLedger

/// The mentorship ends; nothing more may be recorded on it.
///
/// Payload v1: ended by (1 byte), reason (1 byte).
public struct MentorshipEnded: AccountabilityEventType {
    public static let eventType = "MentorshipEnded"
    /// Who ended it. `system` and `admin` need an admin actor; `mentor` and `mentee` need that
    /// person or an admin.
    public var endedBy: EndedBy
    /// Why it ended.
    public var reason: EndReason

    /// Creates the event.
    public init(endedBy: EndedBy, reason: EndReason) {
        self.endedBy = endedBy
        self.reason = reason
    }

    public var wrapped: AccountabilityEvent { .mentorshipEnded(self) }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(endedBy)
        writer.write(reason)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        endedBy = try reader.read(EndedBy.self, field: "endedBy")
        reason = try reader.read(EndReason.self, field: "reason")
    }
}
