import EventLedger
import Foundation

/// A calendar month in UTC (proleptic Gregorian), such as 2026-03.
///
/// Computed from a ``Timestamp`` with integer arithmetic (Howard Hinnant's `civil_from_days`), so
/// it depends on no time zone database or locale and costs no allocation. The projection's row
/// keys hold it as the number ``yyyymm`` (202603).
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

    /// The month `month` of `year`; nil unless the year is 0 to 9999 and the month 1 to 12.
    init?(year: Int, month: Int) {
        guard (0...9_999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// The month a row key holds as `yyyymm`; nil for a number that is no such month.
    init?(yyyymm: UInt32) {
        self.init(year: Int(yyyymm / 100), month: Int(yyyymm % 100))
    }

    /// The month written `YYYY-MM` (four digits, a hyphen, two digits); nil for any other text.
    init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-") else { return nil }
        var digits: [Int] = []
        for (index, byte) in bytes.enumerated() where index != 4 {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            digits.append(Int(byte - UInt8(ascii: "0")))
        }
        self.init(year: digits[0] * 1_000 + digits[1] * 100 + digits[2] * 10 + digits[3], month: digits[4] * 10 + digits[5])
    }

    /// The month as the number `yyyymm` (202603); nil for a year outside 0 to 9999.
    var yyyymm: UInt32? {
        guard (0...9_999).contains(year) else { return nil }
        return UInt32(year * 100 + month)
    }

    /// `YYYY-MM`.
    var description: String { String(format: "%04d-%02d", year, month) }

    static func < (lhs: CalendarMonth, rhs: CalendarMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
