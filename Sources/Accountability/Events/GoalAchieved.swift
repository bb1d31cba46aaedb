public import EventLedger
public import Foundation

/// A goal is met.
///
/// Payload v1: goal (16 bytes), final value (optional double).
public struct GoalAchieved: AccountabilityEventType {
    public static let eventType = "GoalAchieved"
    /// The goal achieved.
    public var goal: UUID
    /// The final measured value, if recorded.
    public var finalValue: Double?

    /// Creates the event.
    public init(goal: UUID, finalValue: Double? = nil) {
        self.goal = goal
        self.finalValue = finalValue
    }

    public var wrapped: AccountabilityEvent { .goalAchieved(self) }

    public func validate() throws {
        if let finalValue { try FieldCheck.finite(finalValue, "finalValue") }
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(goal)
        writer.writeOptional(finalValue) { $0.write($1) }
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        goal = try reader.readUUID()
        finalValue = try reader.readOptional { try $0.readDouble() }
    }
}
