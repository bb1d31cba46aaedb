public import EventLedger
public import Foundation

/// The host program sent a reminder. Recorded so that a rule does not fire twice for the same
/// condition. Only a program admin (or the host's system account registered as one) records it.
///
/// Payload v1: rule (1 byte), subject, recipient (16 bytes each).
public struct NudgeSent: AccountabilityEventType {
    public static let eventType = "NudgeSent"
    /// The rule that fired.
    public var rule: NudgeRule
    /// What it is about: the mentorship, a goal, a task or a session.
    public var subject: UUID
    /// Who was reminded: a participant or an admin.
    public var recipient: UUID

    /// Creates the event.
    public init(rule: NudgeRule, subject: UUID, recipient: UUID) {
        self.rule = rule
        self.subject = subject
        self.recipient = recipient
    }

    public var wrapped: AccountabilityEvent { .nudgeSent(self) }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(rule)
        writer.write(subject)
        writer.write(recipient)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        rule = try reader.read(NudgeRule.self, field: "rule")
        subject = try reader.readUUID()
        recipient = try reader.readUUID()
    }
}
