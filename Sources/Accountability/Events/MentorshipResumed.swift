public import EventLedger

/// A paused mentorship resumes. Payload v1: empty.
public struct MentorshipResumed: AccountabilityEventType {
    public static let eventType = "MentorshipResumed"

    /// Creates the event.
    public init() {}

    public var wrapped: AccountabilityEvent { .mentorshipResumed(self) }

    public func encodePayload(into writer: inout EventPayloadWriter) {}

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {}
}
