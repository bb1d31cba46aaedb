public import EventLedger
public import Foundation

/// A mentor and a mentee start working together in a program. The first event of every
/// mentorship stream.
///
/// Payload v1: mentorship, mentor, mentee, program (16 bytes each), cadence days (UInt16),
/// planned end (optional timestamp).
public struct MentorshipStarted: AccountabilityEventType {
    public static let eventType = "MentorshipStarted"
    /// The mentorship's id (its stream is `mentorship/<id>`).
    public var mentorship: UUID
    /// The mentor.
    public var mentor: UUID
    /// The mentee.
    public var mentee: UUID
    /// The program the pair belongs to.
    public var program: UUID
    /// The agreed cadence: days between sessions, 1 to 365.
    public var cadenceDays: Int
    /// When the mentorship is planned to end, if agreed.
    public var plannedEnd: Timestamp?

    /// Creates the event.
    public init(mentorship: UUID, mentor: UUID, mentee: UUID, program: UUID, cadenceDays: Int, plannedEnd: Timestamp? = nil) {
        self.mentorship = mentorship
        self.mentor = mentor
        self.mentee = mentee
        self.program = program
        self.cadenceDays = cadenceDays
        self.plannedEnd = plannedEnd
    }

    public var wrapped: AccountabilityEvent { .mentorshipStarted(self) }

    public func validate() throws {
        guard mentor != mentee else {
            throw AccountabilityError(.sameParticipant, field: "mentee", "the mentee must be someone other than the mentor")
        }
        guard (1...365).contains(cadenceDays) else {
            throw AccountabilityError(.invalidCadence, field: "cadenceDays", "cadenceDays is \(cadenceDays); it must be 1 to 365")
        }
    }

    public func encodePayload(into writer: inout EventPayloadWriter) throws {
        writer.write(mentorship)
        writer.write(mentor)
        writer.write(mentee)
        writer.write(program)
        try writer.writeChecked(cadenceDays, as: UInt16.self, field: "cadenceDays")
        writer.writeOptional(plannedEnd) { $0.write($1) }
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        mentorship = try reader.readUUID()
        mentor = try reader.readUUID()
        mentee = try reader.readUUID()
        program = try reader.readUUID()
        cadenceDays = Int(try reader.readUInt16())
        plannedEnd = try reader.readOptional { try $0.readTimestamp() }
    }
}
