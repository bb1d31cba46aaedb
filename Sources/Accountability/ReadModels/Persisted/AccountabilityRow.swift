public import EventLedger

/// A row of ``AccountabilityModels``: a mentorship's record, or an index entry that finds one.
public enum AccountabilityRow: ProjectionRow, Sendable, Hashable {
    /// A mentorship's record (key: ``AccountabilityKeys/mentorship(stream:)``). Boxed, so that
    /// an index entry does not take a record's inline size (800 bytes) in every slot of a fold.
    indirect case mentorship(MentorshipRecord)
    /// The stream key of the mentorship or goal the key names (``AccountabilityKeys/mentorshipID(_:)``,
    /// ``AccountabilityKeys/goal(_:)``).
    case stream(UInt64)
    /// A membership entry: the key itself says who belongs to what
    /// (``AccountabilityKeys/participant(_:stream:)``, ``AccountabilityKeys/program(_:stream:)``).
    case member
    /// How many built-in events were folded (``AccountabilityKeys/eventsFolded``).
    case count(UInt64)

    public func encode(into writer: inout EventPayloadWriter) {
        switch self {
        case .mentorship(let record):
            writer.write(UInt8(1))
            record.encode(into: &writer)
        case .stream(let stream):
            writer.write(UInt8(2))
            writer.write(stream)
        case .member:
            writer.write(UInt8(3))
        case .count(let count):
            writer.write(UInt8(4))
            writer.write(count)
        }
    }

    public init(decoding reader: inout EventPayloadReader) throws {
        let tag = try reader.readUInt8()
        switch tag {
        case 1: self = .mentorship(try MentorshipRecord(decoding: &reader))
        case 2: self = .stream(try reader.readUInt64())
        case 3: self = .member
        case 4: self = .count(try reader.readUInt64())
        default: throw LedgerError(.corruptRecord, "an accountability row has the unknown kind \(tag)")
        }
    }

    /// The record, when this is one.
    public var record: MentorshipRecord? {
        if case .mentorship(let record) = self { return record }
        return nil
    }

    /// The stream key, when this is an index entry that holds one.
    public var streamKey: UInt64? {
        if case .stream(let stream) = self { return stream }
        return nil
    }
}
