public import EventLedger
public import Foundation

/// The row keys of ``AccountabilityModels`` (a kind byte, then big-endian fields):
///
/// | kind | key | row |
/// |---|---|---|
/// | 0 | — | how many built-in events were folded |
/// | 1 | stream key (8) | the mentorship's ``MentorshipRecord`` |
/// | 2 | mentorship id (16) | its stream key |
/// | 3 | participant id (16), stream key (8) | membership: the person is the mentor or the mentee |
/// | 4 | program id (16), stream key (8) | membership: the mentorship belongs to the program |
/// | 5 | goal id (16) | the stream key of the mentorship the goal was set in |
public enum AccountabilityKeys {
    /// The count of built-in events folded.
    public static let eventsFolded = RowKey(kind: 0)
    /// The record of the mentorship on `stream`.
    public static func mentorship(stream: UInt64) -> RowKey { keyed(1, stream) }
    /// Every mentorship record.
    public static let mentorships = RowKey(kind: 1)
    /// The index entry of a mentorship id.
    public static func mentorshipID(_ id: UUID) -> RowKey { keyed(2, id) }
    /// A participant's membership of the mentorship on `stream`.
    public static func participant(_ person: UUID, stream: UInt64) -> RowKey { keyed(3, person, stream) }
    /// Every membership of a participant.
    public static func participant(_ person: UUID) -> RowKey { keyed(3, person) }
    /// A program's membership of the mentorship on `stream`.
    public static func program(_ program: UUID, stream: UInt64) -> RowKey { keyed(4, program, stream) }
    /// Every membership of a program.
    public static func program(_ program: UUID) -> RowKey { keyed(4, program) }
    /// The index entry of a goal id.
    public static func goal(_ goal: UUID) -> RowKey { keyed(5, goal) }

    /// The stream key at the end of a membership key (kinds 3 and 4).
    public static func stream(ofMembership key: RowKey) -> UInt64? { key.integer(at: 17, width: 8) }

    private static func keyed(_ kind: UInt8, _ stream: UInt64) -> RowKey {
        var key = RowKey(kind: kind)
        key.append(stream)
        return key
    }

    private static func keyed(_ kind: UInt8, _ id: UUID) -> RowKey {
        var key = RowKey(kind: kind)
        key.append(id)
        return key
    }

    private static func keyed(_ kind: UInt8, _ id: UUID, _ stream: UInt64) -> RowKey {
        var key = keyed(kind, id)
        key.append(stream)
        return key
    }
}
