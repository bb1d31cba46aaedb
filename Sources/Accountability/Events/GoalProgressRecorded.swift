public import EventLedger
public import Foundation

/// A new measurement of a goal's metric.
///
/// Payload v1: goal (16 bytes), value (double), note (optional string).
public struct GoalProgressRecorded: AccountabilityEventType {
    public static let eventType = "GoalProgressRecorded"
    /// The goal measured.
    public var goal: UUID
    /// The measured value, in the metric's unit.
    public var value: Double
    /// A note, if any.
    public var note: String?

    /// Creates the event.
    public init(goal: UUID, value: Double, note: String? = nil) {
        self.goal = goal
        self.value = value
        self.note = note
    }

    public var wrapped: AccountabilityEvent { .goalProgressRecorded(self) }

    public func validate() throws {
        try FieldCheck.finite(value, "value")
        if let note { try FieldCheck.longText(note, "note", required: false) }
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(goal)
        writer.write(value)
        writer.writeOptional(note) { $0.write($1) }
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        goal = try reader.readUUID()
        value = try reader.readDouble()
        note = try reader.readOptional { try $0.readString() }
    }
}
