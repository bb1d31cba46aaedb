public import EventLedger
public import Foundation

/// An open task is dropped; it no longer counts as due.
///
/// Payload v1: task (16 bytes), reason (string).
public struct TaskCancelled: AccountabilityEventType {
    public static let eventType = "TaskCancelled"
    /// The task: assigned earlier and still open.
    public var task: UUID
    /// Why (required).
    public var reason: String

    /// Creates the event.
    public init(task: UUID, reason: String) {
        self.task = task
        self.reason = reason
    }

    public var wrapped: AccountabilityEvent { .taskCancelled(self) }

    public func validate() throws {
        try FieldCheck.longText(reason, "reason", required: true)
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(task)
        writer.write(reason)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        task = try reader.readUUID()
        reason = try reader.readString()
    }
}
