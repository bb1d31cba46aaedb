public import EventLedger
public import Foundation

/// A scheduled session is called off. The notice given (scheduled-for minus the event's
/// occurred-at) is derived by the read models.
///
/// Payload v1: session, cancelled by (16 bytes each), reason (string).
public struct SessionCancelled: AccountabilityEventType {
    public static let eventType = "SessionCancelled"
    /// The scheduled session.
    public var session: UUID
    /// Who cancelled: the mentor or the mentee.
    public var cancelledBy: UUID
    /// Why (required).
    public var reason: String

    /// Creates the event.
    public init(session: UUID, cancelledBy: UUID, reason: String) {
        self.session = session
        self.cancelledBy = cancelledBy
        self.reason = reason
    }

    public var wrapped: AccountabilityEvent { .sessionCancelled(self) }

    public func validate() throws {
        try FieldCheck.longText(reason, "reason", required: true)
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(session)
        writer.write(cancelledBy)
        writer.write(reason)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        session = try reader.readUUID()
        cancelledBy = try reader.readUUID()
        reason = try reader.readString()
    }
}
