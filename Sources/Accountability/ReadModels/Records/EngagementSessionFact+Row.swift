import EventLedger
import Foundation

/// An ``EngagementSessionFact`` (a held session) in a record: session, held-at, minutes (Int64),
/// a flag byte (bit 0 mentor attended, bit 1 mentee attended; other bits must be 0).
extension EngagementSessionFact: RecordField {
    static var minimumEncodedSize: Int { 16 + 8 + 8 + 1 }

    private static let mentorAttendedBit: UInt8 = 1 << 0
    private static let menteeAttendedBit: UInt8 = 1 << 1

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(session)
        writer.write(heldAt)
        writer.write(int: minutes)
        writer.write((mentorAttended ? Self.mentorAttendedBit : 0) | (menteeAttended ? Self.menteeAttendedBit : 0))
    }

    init(decoding reader: inout EventPayloadReader) throws {
        let session = try reader.readUUID()
        let heldAt = try reader.readTimestamp()
        let minutes = try reader.readInt()
        let flags = try reader.readFlags(allowed: Self.mentorAttendedBit | Self.menteeAttendedBit)
        self.init(session: session, heldAt: heldAt, minutes: minutes,
                  mentorAttended: flags & Self.mentorAttendedBit != 0, menteeAttended: flags & Self.menteeAttendedBit != 0)
    }
}
