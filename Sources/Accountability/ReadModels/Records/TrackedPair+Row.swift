import EventLedger
import Foundation

/// A ``TrackedPair`` in a record: mentorship, mentor, mentee, program (16 bytes each), cadence
/// days (Int64), started-at, optional ended-at, then its pauses.
extension TrackedPair: RecordField {
    static var minimumEncodedSize: Int { 4 * 16 + 8 + 8 + 1 + 4 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(mentorship)
        writer.write(mentor)
        writer.write(mentee)
        writer.write(program)
        writer.write(int: cadenceDays)
        writer.write(startedAt)
        writer.write(optional: endedAt)
        writer.write(fields: pauses)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        mentorship = try reader.readUUID()
        mentor = try reader.readUUID()
        mentee = try reader.readUUID()
        program = try reader.readUUID()
        cadenceDays = try reader.readInt()
        startedAt = try reader.readTimestamp()
        endedAt = try reader.readOptionalField(Timestamp.self)
        pauses = try reader.readFields(TrackedPause.self)
    }
}

/// A ``TrackedPause`` in a record: paused-at, optional resumed-at.
extension TrackedPause: RecordField {
    static var minimumEncodedSize: Int { 8 + 1 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(pausedAt)
        writer.write(optional: resumedAt)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        pausedAt = try reader.readTimestamp()
        resumedAt = try reader.readOptionalField(Timestamp.self)
    }
}
