public import EventLedger
public import Foundation

/// A session is planned.
///
/// Payload v1: session (16 bytes), scheduled for (timestamp), planned minutes (UInt16).
public struct SessionScheduled: AccountabilityEventType {
    public static let eventType = "SessionScheduled"
    /// The session's id, new in the mentorship.
    public var session: UUID
    /// When it is planned to start.
    public var scheduledFor: Timestamp
    /// How long it is planned to last, 1 to 720 minutes.
    public var plannedMinutes: Int

    /// Creates the event.
    public init(session: UUID, scheduledFor: Timestamp, plannedMinutes: Int) {
        self.session = session
        self.scheduledFor = scheduledFor
        self.plannedMinutes = plannedMinutes
    }

    public var wrapped: AccountabilityEvent { .sessionScheduled(self) }

    public func validate() throws {
        try FieldCheck.minutes(plannedMinutes, "plannedMinutes")
    }

    public func encodePayload(into writer: inout EventPayloadWriter) throws {
        writer.write(session)
        writer.write(scheduledFor)
        try writer.writeChecked(plannedMinutes, as: UInt16.self, field: "plannedMinutes")
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        session = try reader.readUUID()
        scheduledFor = try reader.readTimestamp()
        plannedMinutes = Int(try reader.readUInt16())
    }
}
