import EventLedger
import Foundation

/// A ``TrackedGoal`` in a record: owner, set-at, baseline and target (Double bit patterns),
/// deadline, revisions, measurements, linked task ids, optional achieved-at, optional
/// abandoned-at.
extension TrackedGoal: RecordField {
    static var minimumEncodedSize: Int { 16 + 8 + 8 + 8 + 8 + 4 + 4 + 4 + 1 + 1 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(owner)
        writer.write(setAt)
        writer.write(baseline)
        writer.write(target)
        writer.write(deadline)
        writer.write(fields: revisions)
        writer.write(fields: measurements)
        writer.write(fields: tasks)
        writer.write(optional: achievedAt)
        writer.write(optional: abandonedAt)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        owner = try reader.readUUID()
        setAt = try reader.readTimestamp()
        baseline = try reader.readDouble()
        target = try reader.readDouble()
        deadline = try reader.readTimestamp()
        revisions = try reader.readFields(TrackedRevision.self)
        measurements = try reader.readFields(TrackedMeasurement.self)
        tasks = try reader.readUUIDArray()
        achievedAt = try reader.readOptionalField(Timestamp.self)
        abandonedAt = try reader.readOptionalField(Timestamp.self)
    }
}

/// A ``TrackedRevision`` in a record: at, optional target (Double bit pattern), optional deadline.
extension TrackedRevision: RecordField {
    static var minimumEncodedSize: Int { 8 + 1 + 1 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(at)
        writer.writeOptional(target) { $0.write($1) }
        writer.write(optional: deadline)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        at = try reader.readTimestamp()
        target = try reader.readOptional { try $0.readDouble() }
        deadline = try reader.readOptionalField(Timestamp.self)
    }
}

/// A ``TrackedMeasurement`` in a record: at, log position, value (Double bit pattern).
extension TrackedMeasurement: RecordField {
    static var minimumEncodedSize: Int { 8 + 8 + 8 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(at)
        writer.write(position)
        writer.write(value)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        at = try reader.readTimestamp()
        position = try reader.readUInt64()
        value = try reader.readDouble()
    }
}
