public import EventLedger
public import Foundation

/// An assigned task is done. It was completed at the event's occurred-at time.
///
/// Payload v1: task (16 bytes), evidence (optional string).
public struct TaskCompleted: AccountabilityEventType {
    public static let eventType = "TaskCompleted"
    /// The task: assigned earlier and still open.
    public var task: UUID
    /// What shows it is done (a link, a note), if given.
    public var evidence: String?

    /// Creates the event.
    public init(task: UUID, evidence: String? = nil) {
        self.task = task
        self.evidence = evidence
    }

    public var wrapped: AccountabilityEvent { .taskCompleted(self) }

    public func validate() throws {
        if let evidence { try FieldCheck.longText(evidence, "evidence", required: false) }
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(task)
        writer.writeOptional(evidence) { $0.write($1) }
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        task = try reader.readUUID()
        evidence = try reader.readOptional { try $0.readString() }
    }
}
