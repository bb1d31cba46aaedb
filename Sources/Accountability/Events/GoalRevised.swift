public import EventLedger
public import Foundation

/// A goal's target and/or deadline changes. Whether the revision made the goal easier (a target
/// closer to the baseline, or a later deadline) is derived by the read models.
///
/// Payload v1: goal (16 bytes), reason (string), target (optional double), deadline (optional
/// timestamp).
public struct GoalRevised: AccountabilityEventType {
    public static let eventType = "GoalRevised"
    /// The goal revised.
    public var goal: UUID
    /// Why (required).
    public var reason: String
    /// The new target, if it changes; must differ from the baseline.
    public var target: Double?
    /// The new deadline, if it changes; must be after the revision.
    public var deadline: Timestamp?

    /// Creates the event.
    public init(goal: UUID, reason: String, target: Double? = nil, deadline: Timestamp? = nil) {
        self.goal = goal
        self.reason = reason
        self.target = target
        self.deadline = deadline
    }

    public var wrapped: AccountabilityEvent { .goalRevised(self) }

    public func validate() throws {
        try FieldCheck.longText(reason, "reason", required: true)
        if let target { try FieldCheck.finite(target, "target", rule: .goalNotMeasurable) }
        guard target != nil || deadline != nil else {
            throw AccountabilityError(.revisionChangesNothing, field: "target", "a revision must give a new target, a new deadline or both")
        }
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(goal)
        writer.write(reason)
        writer.writeOptional(target) { $0.write($1) }
        writer.writeOptional(deadline) { $0.write($1) }
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        goal = try reader.readUUID()
        reason = try reader.readString()
        target = try reader.readOptional { try $0.readDouble() }
        deadline = try reader.readOptional { try $0.readTimestamp() }
    }
}
