import EventLedger
import Foundation

/// A row of ``MentoringHoursProjection``, stored as a tag byte and then its fields
/// (``EventPayloadWriter`` encoding, integers little-endian).
///
/// | tag | row | key (``HoursKey``) | fields |
/// |---|---|---|---|
/// | 0 | the sessions not counted | kind 0 | without a start (UInt64), without the mentor (UInt64) |
/// | 1 | a mentorship's mentor | kind 1, stream key | the mentor (16 bytes) |
/// | 2 | a mentor's month | kind 2, mentor, yyyymm | minutes (UInt64), sessions (UInt64) |
enum HoursRow: ProjectionRow, Sendable, Equatable {
    /// What was not counted.
    case uncounted(UncountedSessions)
    /// The mentor of the mentorship the key's stream holds.
    case mentor(UUID)
    /// The mentor's sessions and minutes in the key's month.
    case totals(SessionTotals)

    /// Writes the tag byte, then the row's fields.
    func encode(into writer: inout EventPayloadWriter) {
        switch self {
        case .uncounted(let uncounted):
            writer.write(UInt8(0))
            uncounted.encode(into: &writer)
        case .mentor(let mentor):
            writer.write(UInt8(1))
            writer.write(mentor)
        case .totals(let totals):
            writer.write(UInt8(2))
            totals.encode(into: &writer)
        }
    }

    /// Reads what ``encode(into:)`` wrote; throws for an unknown tag or a short row.
    init(decoding reader: inout EventPayloadReader) throws {
        let tag = try reader.readUInt8()
        switch tag {
        case 0: self = .uncounted(try UncountedSessions(decoding: &reader))
        case 1: self = .mentor(try reader.readUUID())
        case 2: self = .totals(try SessionTotals(decoding: &reader))
        default: throw LedgerError(.corruptRecord, "a mentoring-hours row has the unknown tag \(tag)")
        }
    }

    /// The tallies, or an error naming `key` when the row holds something else.
    func uncounted(at key: RowKey) throws -> UncountedSessions {
        guard case .uncounted(let uncounted) = self else { throw mismatch(key, "the sessions not counted") }
        return uncounted
    }

    /// The mentor, or an error naming `key` when the row holds something else.
    func mentor(at key: RowKey) throws -> UUID {
        guard case .mentor(let mentor) = self else { throw mismatch(key, "a mentorship's mentor") }
        return mentor
    }

    /// The totals, or an error naming `key` when the row holds something else.
    func totals(at key: RowKey) throws -> SessionTotals {
        guard case .totals(let totals) = self else { throw mismatch(key, "a mentor's month totals") }
        return totals
    }

    private func mismatch(_ key: RowKey, _ expected: String) -> LedgerError {
        LedgerError(.corruptRecord, "mentoring-hours row \(key) should hold \(expected), not \(self)")
    }
}
