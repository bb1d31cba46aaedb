import EventLedger
import Foundation

/// A calendar month in UTC (proleptic Gregorian), such as 2026-03.
///
/// Computed from a ``Timestamp`` with integer arithmetic (Howard Hinnant's `civil_from_days`), so
/// it depends on no time zone database or locale and costs no allocation.
struct CalendarMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year.
    let year: Int
    /// The month, 1 to 12.
    let month: Int

    /// The UTC month `time` falls in.
    init(_ time: Timestamp) {
        let microsecondsPerDay: Int64 = 86_400_000_000
        // Floor division: a time before 1970 belongs to the day that starts before it.
        let (quotient, remainder) = time.microsecondsSinceEpoch.quotientAndRemainder(dividingBy: microsecondsPerDay)
        let days = Int(remainder < 0 ? quotient - 1 : quotient)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153          // 0 = March … 11 = February
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `YYYY-MM`.
    var description: String { String(format: "%04d-%02d", year, month) }

    static func < (lhs: CalendarMonth, rhs: CalendarMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
