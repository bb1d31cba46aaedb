public import EventLedger
public import Foundation

/// A scheduled session did not happen because someone did not turn up (a no-show).
///
/// Payload v1: session (16 bytes), absent party (1 byte).
public struct SessionMissed: AccountabilityEventType {
    public static let eventType = "SessionMissed"
    /// The scheduled session.
    public var session: UUID
    /// Who did not turn up.
    public var absent: AbsentParty

    /// Creates the event.
    public init(session: UUID, absent: AbsentParty) {
        self.session = session
        self.absent = absent
    }

    public var wrapped: AccountabilityEvent { .sessionMissed(self) }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(session)
        writer.write(absent)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        session = try reader.readUUID()
        absent = try reader.read(AbsentParty.self, field: "absent")
    }
}
