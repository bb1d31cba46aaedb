import EventLedger
import Foundation

/// The row keys of ``MentoringHoursProjection``: a kind byte, then big-endian fields, so the
/// totals rows sort by mentor (bytewise, which is the order of the lowercase ids) and then month.
///
/// | kind | then | row |
/// |---|---|---|
/// | 0 | — | ``HoursRow/uncounted(_:)`` |
/// | 1 | stream key (UInt64) | ``HoursRow/mentor(_:)`` |
/// | 2 | mentor (16 bytes), month (UInt32 yyyymm) | ``HoursRow/totals(_:)`` |
enum HoursKey {
    /// The one row of the sessions not counted.
    static let uncounted = RowKey(kind: 0)

    /// The prefix every totals row starts with.
    static let mentorMonths = RowKey(kind: 2)

    /// The row of the mentor of the mentorship on stream `stream`.
    static func mentorship(stream: UInt64) -> RowKey {
        var key = RowKey(kind: 1)
        key.append(stream)
        return key
    }

    /// The totals row of `mentor` in `month`; nil for a month whose year is outside 0 to 9999.
    static func mentorMonth(_ mentor: UUID, _ month: CalendarMonth) -> RowKey? {
        guard let yyyymm = month.yyyymm else { return nil }
        var key = mentorMonths
        key.append(mentor)
        key.append(yyyymm)
        return key
    }

    /// The mentor and month a totals row's key names.
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` for a key of another shape.
    static func mentorMonth(from key: RowKey) throws -> MentorMonth {
        guard key.count == 21, key.hasPrefix(mentorMonths), let mentor = key.uuid(at: 1),
              let number = key.integer(at: 17, width: 4), let month = CalendarMonth(yyyymm: UInt32(truncatingIfNeeded: number)) else {
            throw LedgerError(.corruptRecord, "mentoring-hours row key \(key) names no mentor and month")
        }
        return MentorMonth(mentor: mentor, month: month)
    }
}
