public import EventLedger
public import Foundation

/// A request to record one event on a mentorship: what happened, who records it, and when it
/// happened. ``AccountabilityLedger`` checks it against ``MentorshipRules`` before appending.
public struct MentorshipCommand: Sendable, Hashable {
    /// The mentorship.
    public var mentorship: UUID
    /// What happened.
    public var event: AccountabilityEvent
    /// Who records it (checked by the authorisation rules; stored as the envelope's actor).
    public var actor: UUID
    /// When it happened in the domain (a session's time, a task's completion).
    public var occurredAt: Timestamp
    /// The event id: retrying a command with the same id is idempotent.
    public var id: UUID
    /// The id of the conversation or workflow it belongs to, when the host tracks one.
    public var correlationID: UUID?
    /// The id of the event or command that caused it, when known.
    public var causationID: UUID?

    /// Creates a command from any built-in event.
    public init(_ event: some AccountabilityEventType, mentorship: UUID, by actor: UUID, at occurredAt: Timestamp, id: UUID = UUID()) {
        self.init(event: event.wrapped, mentorship: mentorship, by: actor, at: occurredAt, id: id)
    }

    /// Creates a command from a wrapped event.
    public init(event: AccountabilityEvent, mentorship: UUID, by actor: UUID, at occurredAt: Timestamp, id: UUID = UUID()) {
        self.mentorship = mentorship
        self.event = event
        self.actor = actor
        self.occurredAt = occurredAt
        self.id = id
    }

    /// The stream it is recorded on.
    public var stream: String { MentorshipStream.name(of: mentorship) }

    /// The event ready to append (encoded; its own fields validated).
    ///
    /// - Throws: an ``AccountabilityError`` naming this command's mentorship when a field is
    ///   invalid.
    public func proposedEvent() throws -> ProposedEvent {
        do {
            return try Self.propose(event.event, id: id, occurredAt: occurredAt, actor: actor,
                                    correlationID: correlationID, causationID: causationID)
        } catch let error as AccountabilityError {
            throw error.about(mentorship)
        }
    }

    private static func propose<E: AccountabilityEventType>(_ event: E, id: UUID, occurredAt: Timestamp, actor: UUID,
                                                            correlationID: UUID?, causationID: UUID?) throws -> ProposedEvent {
        try ProposedEvent(event, id: id, occurredAt: occurredAt, actor: actor, correlationID: correlationID, causationID: causationID)
    }
}
