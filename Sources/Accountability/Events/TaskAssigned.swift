public import EventLedger
public import Foundation

/// A task is given to the mentor or the mentee, optionally towards a goal.
///
/// Payload v1: task, assignee (16 bytes each), due (timestamp), goal (optional 16 bytes).
public struct TaskAssigned: AccountabilityEventType {
    public static let eventType = "TaskAssigned"
    /// The task's id, new in the mentorship.
    public var task: UUID
    /// Who must do it: the mentor or the mentee.
    public var assignee: UUID
    /// When it is due; must be after it is assigned.
    public var due: Timestamp
    /// The goal it works towards, if any; must be an active goal.
    public var goal: UUID?

    /// Creates the event.
    public init(task: UUID, assignee: UUID, due: Timestamp, goal: UUID? = nil) {
        self.task = task
        self.assignee = assignee
        self.due = due
        self.goal = goal
    }

    public var wrapped: AccountabilityEvent { .taskAssigned(self) }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(task)
        writer.write(assignee)
        writer.write(due)
        writer.writeOptional(goal) { $0.write($1) }
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        task = try reader.readUUID()
        assignee = try reader.readUUID()
        due = try reader.readTimestamp()
        goal = try reader.readOptional { try $0.readUUID() }
    }
}
