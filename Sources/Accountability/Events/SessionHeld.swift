public import EventLedger
public import Foundation

/// A session took place. It was held at the event's occurred-at time.
///
/// **Schema history** — the upcasting example of this library:
/// - v1: session (16 bytes), minutes (UInt16), attendees (UInt32 count + 16 bytes each).
/// - v2 (current): v1 followed by the goals discussed (UInt32 count + 16 bytes each).
///
/// A v1 payload decodes with ``goals`` empty: nothing was recorded about goals then.
public struct SessionHeld: AccountabilityEventType {
    public static let eventType = "SessionHeld"
    public static let schemaVersion: UInt16 = 2
    /// The session: a scheduled one (which it resolves) or a new id for an unscheduled session.
    public var session: UUID
    /// How long it lasted, 1 to 720 minutes.
    public var minutes: Int
    /// Who attended (the mentor and/or the mentee); at least one.
    public var attendees: [UUID]
    /// The goals discussed (schema v2; empty for sessions recorded with v1).
    public var goals: [UUID]

    /// Creates the event.
    public init(session: UUID, minutes: Int, attendees: [UUID], goals: [UUID] = []) {
        self.session = session
        self.minutes = minutes
        self.attendees = attendees
        self.goals = goals
    }

    public var wrapped: AccountabilityEvent { .sessionHeld(self) }

    public func validate() throws {
        try FieldCheck.minutes(minutes, "minutes")
        guard !attendees.isEmpty else {
            throw AccountabilityError(.noAttendees, field: "attendees", "a held session needs at least one attendee")
        }
        guard Set(attendees).count == attendees.count else {
            throw AccountabilityError(.duplicateID, field: "attendees", "an attendee is listed twice")
        }
        guard Set(goals).count == goals.count else {
            throw AccountabilityError(.duplicateID, field: "goals", "a goal is listed twice")
        }
    }

    public func encodePayload(into writer: inout EventPayloadWriter) throws {
        writer.write(session)
        try writer.writeChecked(minutes, as: UInt16.self, field: "minutes")
        writer.write(attendees)
        writer.write(goals)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        session = try reader.readUUID()
        minutes = Int(try reader.readUInt16())
        attendees = try reader.readUUIDs()
        // Upcast: v1 had no goals.
        goals = schemaVersion >= 2 ? try reader.readUUIDs() : []
    }
}
