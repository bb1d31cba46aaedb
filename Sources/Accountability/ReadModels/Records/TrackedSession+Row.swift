import EventLedger
import Foundation

/// A ``TrackedSession`` in a record: optional scheduled-for, optional held-at, optional
/// missed-at, optional cancelled-at, a flag byte (bit 0 mentor attended, 1 mentee attended,
/// 2 mentor absent, 3 mentee absent, 4 cancelled by the mentor, 5 by the mentee; other bits must
/// be 0), then the resolving log position.
extension TrackedSession: RecordField {
    static var minimumEncodedSize: Int { 4 + 1 + 8 }

    private static let mentorAttendedBit: UInt8 = 1 << 0
    private static let menteeAttendedBit: UInt8 = 1 << 1
    private static let absentMentorBit: UInt8 = 1 << 2
    private static let absentMenteeBit: UInt8 = 1 << 3
    private static let cancelledByMentorBit: UInt8 = 1 << 4
    private static let cancelledByMenteeBit: UInt8 = 1 << 5
    private static let allBits: UInt8 = 0b0011_1111

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(optional: scheduledFor)
        writer.write(optional: heldAt)
        writer.write(optional: missedAt)
        writer.write(optional: cancelledAt)
        var flags: UInt8 = 0
        if mentorAttended { flags |= Self.mentorAttendedBit }
        if menteeAttended { flags |= Self.menteeAttendedBit }
        if absentMentor { flags |= Self.absentMentorBit }
        if absentMentee { flags |= Self.absentMenteeBit }
        if cancelledByMentor { flags |= Self.cancelledByMentorBit }
        if cancelledByMentee { flags |= Self.cancelledByMenteeBit }
        writer.write(flags)
        writer.write(resolvedPosition)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        self.init()
        scheduledFor = try reader.readOptionalField(Timestamp.self)
        heldAt = try reader.readOptionalField(Timestamp.self)
        missedAt = try reader.readOptionalField(Timestamp.self)
        cancelledAt = try reader.readOptionalField(Timestamp.self)
        let flags = try reader.readFlags(allowed: Self.allBits)
        mentorAttended = flags & Self.mentorAttendedBit != 0
        menteeAttended = flags & Self.menteeAttendedBit != 0
        absentMentor = flags & Self.absentMentorBit != 0
        absentMentee = flags & Self.absentMenteeBit != 0
        cancelledByMentor = flags & Self.cancelledByMentorBit != 0
        cancelledByMentee = flags & Self.cancelledByMenteeBit != 0
        resolvedPosition = try reader.readUInt64()
    }
}
