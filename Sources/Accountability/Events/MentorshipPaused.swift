public import EventLedger

/// The pair pauses the mentorship (holiday, workload). Paused time stops the engagement and
/// nudge clocks.
///
/// Payload v1: reason (string), until (optional timestamp).
public struct MentorshipPaused: AccountabilityEventType {
    public static let eventType = "MentorshipPaused"
    /// Why (required).
    public var reason: String
    /// When the pair expects to resume, if known; must be after the pause.
    public var until: Timestamp?

    /// Creates the event.
    public init(reason: String, until: Timestamp? = nil) {
        self.reason = reason
        self.until = until
    }

    public var wrapped: AccountabilityEvent { .mentorshipPaused(self) }

    public func validate() throws {
        try FieldCheck.longText(reason, "reason", required: true)
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(reason)
        writer.writeOptional(until) { $0.write($1) }
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        reason = try reader.readString()
        until = try reader.readOptional { try $0.readTimestamp() }
    }
}
