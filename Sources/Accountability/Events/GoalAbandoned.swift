public import EventLedger
public import Foundation

/// A goal is given up.
///
/// Payload v1: goal (16 bytes), reason (string).
public struct GoalAbandoned: AccountabilityEventType {
    public static let eventType = "GoalAbandoned"
    /// The goal abandoned.
    public var goal: UUID
    /// Why (required).
    public var reason: String

    /// Creates the event.
    public init(goal: UUID, reason: String) {
        self.goal = goal
        self.reason = reason
    }

    public var wrapped: AccountabilityEvent { .goalAbandoned(self) }

    public func validate() throws {
        try FieldCheck.longText(reason, "reason", required: true)
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(goal)
        writer.write(reason)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        goal = try reader.readUUID()
        reason = try reader.readString()
    }
}
