extension Timestamp {
    /// Reads an RFC 3339 timestamp, such as `2026-03-01T15:00:00Z` or
    /// `2026-03-01T20:30:00.25+05:30`.
    ///
    /// The accepted form is `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`:
    /// - `T` and `Z` may also be written `t` and `z`;
    /// - the fraction has 1 to 6 digits (a Timestamp holds microseconds);
    /// - an offset from `-23:59` to `+23:59` is subtracted to give UTC (`-00:00` means UTC);
    /// - the year has 4 digits, or, in the ISO 8601 expanded form, a sign and 6 digits
    ///   (`+012026-…`, `-000001-…`), which ``rfc3339`` writes for years outside 0000-9999.
    ///
    /// Dates are proleptic Gregorian and must exist (no 2026-02-29); leap seconds (second 60) are
    /// rejected because a Timestamp cannot represent them. Nothing may surround the text, not even
    /// whitespace.
    ///
    /// - Parameter text: The timestamp.
    /// - Throws: ``TimestampFormatError`` naming the part at fault, or saying that the time is
    ///   outside the range of a Timestamp.
    public init(rfc3339 text: String) throws(TimestampFormatError) {
        var utf8 = text
        let outcome = utf8.withUTF8 { bytes in
            var reader = RFC3339Reader(bytes)
            return Result { () throws(RFC3339Failure) -> Int64 in try reader.read() }
        }
        switch outcome {
        case .success(let microseconds): self.init(microsecondsSinceEpoch: microseconds)
        case .failure(let failure): throw TimestampFormatError(text: text, reason: failure.reason)
        }
    }

    /// The time in RFC 3339, in UTC with six fractional digits, for example
    /// `2026-03-01T15:00:00.000000Z` or `1969-12-31T23:59:59.999999Z`.
    ///
    /// Years outside 0000-9999 are written in the ISO 8601 expanded form, a sign and six digits
    /// (`-290308-12-21T19:59:05.224192Z` for ``distantPast``), so every Timestamp has a text that
    /// ``init(rfc3339:)`` reads back exactly.
    public var rfc3339: String {
        let (seconds, micros) = CivilCalendar.floorDivide(microsecondsSinceEpoch, by: 1_000_000)
        let (days, secondOfDay) = CivilCalendar.floorDivide(seconds, by: 86_400)
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        return String(unsafeUninitializedCapacity: 32) { buffer in
            var index = 0
            func put(_ byte: UInt8) {
                buffer[index] = byte
                index += 1
            }
            func put(_ value: Int64, digits: Int) {
                var divisor: Int64 = 1
                for _ in 1..<digits { divisor *= 10 }
                var rest = value
                while divisor > 0 {
                    put(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor))
                    rest %= divisor
                    divisor /= 10
                }
            }
            if year >= 0, year <= 9999 {
                put(year, digits: 4)
            } else {
                put(year < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                // |year| is at most 292,278 for any Int64 microseconds; the clamp only keeps `put` in
                // its digit range.
                put(Int64(min(year.magnitude, 999_999)), digits: 6)
            }
            put(UInt8(ascii: "-"))
            put(month, digits: 2)
            put(UInt8(ascii: "-"))
            put(day, digits: 2)
            put(UInt8(ascii: "T"))
            put(secondOfDay / 3600, digits: 2)
            put(UInt8(ascii: ":"))
            put(secondOfDay / 60 % 60, digits: 2)
            put(UInt8(ascii: ":"))
            put(secondOfDay % 60, digits: 2)
            put(UInt8(ascii: "."))
            put(micros, digits: 6)
            put(UInt8(ascii: "Z"))
            return index
        }
    }
}

/// Days and dates in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil` and
/// `civil_from_days`), exact over the whole range of `Int64` microseconds.
enum CivilCalendar {
    /// `value` divided by a positive `divisor`, rounded down, and the remainder in `0..<divisor`.
    static func floorDivide(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    /// Days from 1970-01-01 to the date (negative before it). Valid for any year within ±10^9.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, by: 400).quotient
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01. Valid for any `days` within ±10^15.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, by: 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(_ month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
}

/// Why RFC 3339 text was rejected.
private struct RFC3339Failure: Error {
    let reason: String
}

/// Reads RFC 3339 text byte by byte.
private struct RFC3339Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func read() throws(RFC3339Failure) -> Int64 {
        if let first = bytes.first, isWhitespace(first) {
            throw RFC3339Failure(reason: "leading whitespace is not allowed")
        }

        // Date.
        let year: Int64
        if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            index += 1
            let magnitude = try number(digits: 6, "expected 6 digits after the sign of an expanded year")
            year = sign == UInt8(ascii: "-") ? -magnitude : magnitude
        } else {
            year = try number(digits: 4, "expected a 4-digit year (or a sign and 6 digits)")
            if let next = peek(), isDigit(next) {
                throw RFC3339Failure(reason: "a year of more than 4 digits needs a sign and 6 digits, like +012026")
            }
        }
        try expect(UInt8(ascii: "-"), "expected '-' after the year")
        let month = try number(digits: 2, "expected a 2-digit month")
        guard month >= 1, month <= 12 else { throw RFC3339Failure(reason: "month \(month) is not 01-12") }
        try expect(UInt8(ascii: "-"), "expected '-' after the month")
        let day = try number(digits: 2, "expected a 2-digit day")
        guard day >= 1, day <= 31 else { throw RFC3339Failure(reason: "day \(day) is not 01-31") }
        let monthLength = CivilCalendar.daysInMonth(month, year: year)
        guard day <= monthLength else {
            throw RFC3339Failure(
                reason: "day \(day) is not in \(CivilCalendar.monthNames[Int(month - 1)]) \(year), which has \(monthLength) days"
            )
        }

        // Time.
        guard let separator = peek(), separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") else {
            throw RFC3339Failure(reason: "expected 'T' between the date and the time, found \(found())")
        }
        index += 1
        let hour = try number(digits: 2, "expected a 2-digit hour")
        guard hour <= 23 else { throw RFC3339Failure(reason: "hour \(hour) is not 00-23") }
        try expect(UInt8(ascii: ":"), "expected ':' after the hour")
        let minute = try number(digits: 2, "expected a 2-digit minute")
        guard minute <= 59 else { throw RFC3339Failure(reason: "minute \(minute) is not 00-59") }
        try expect(UInt8(ascii: ":"), "expected ':' after the minute")
        let second = try number(digits: 2, "expected a 2-digit second")
        if second == 60 {
            throw RFC3339Failure(reason: "second 60 is a leap second, which a Timestamp cannot represent")
        }
        guard second <= 59 else { throw RFC3339Failure(reason: "second \(second) is not 00-59") }

        var fraction: Int64 = 0
        if peek() == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while let next = peek(), isDigit(next) {
                if digits < 6 { fraction = fraction * 10 + Int64(next - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else {
                throw RFC3339Failure(reason: "expected a digit after '.' in the fraction of a second, found \(found())")
            }
            guard digits <= 6 else {
                throw RFC3339Failure(
                    reason: "a fraction of \(digits) digits is more precise than a microsecond (at most 6 digits)"
                )
            }
            for _ in digits..<6 { fraction *= 10 }
        }

        // Time zone.
        var offsetSeconds: Int64 = 0
        switch peek() {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let negative = peek() == UInt8(ascii: "-")
            index += 1
            let offsetHour = try number(digits: 2, "expected a 2-digit offset hour")
            guard offsetHour <= 23 else { throw RFC3339Failure(reason: "offset hour \(offsetHour) is not 00-23") }
            try expect(UInt8(ascii: ":"), "expected ':' between the offset hours and minutes")
            let offsetMinute = try number(digits: 2, "expected a 2-digit offset minute")
            guard offsetMinute <= 59 else {
                throw RFC3339Failure(reason: "offset minute \(offsetMinute) is not 00-59")
            }
            offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (negative ? -1 : 1)
        default:
            throw RFC3339Failure(reason: "expected 'Z' or an offset like +01:00 after the time, found \(found())")
        }
        if let next = peek() {
            if isWhitespace(next) { throw RFC3339Failure(reason: "trailing whitespace is not allowed") }
            throw RFC3339Failure(reason: "unexpected \(found()) after the time zone")
        }

        // Years are at most 6 digits, so every intermediate fits easily in 128 bits; only the final
        // value is checked against the range of Int64.
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = Int128(days) * 86_400 + Int128(hour * 3600 + minute * 60 + second) - Int128(offsetSeconds)
        guard let microseconds = Int64(exactly: seconds * 1_000_000 + Int128(fraction)) else {
            throw RFC3339Failure(
                reason: "the time is outside the range of a Timestamp, \(Timestamp.distantPast.rfc3339) to \(Timestamp.distantFuture.rfc3339)"
            )
        }
        return microseconds
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// Reads exactly `digits` decimal digits as a number.
    private mutating func number(digits: Int, _ expected: String) throws(RFC3339Failure) -> Int64 {
        var value: Int64 = 0
        for _ in 0..<digits {
            guard let next = peek(), isDigit(next) else {
                throw RFC3339Failure(reason: "\(expected), found \(found())")
            }
            value = value * 10 + Int64(next - UInt8(ascii: "0"))
            index += 1
        }
        return value
    }

    private mutating func expect(_ byte: UInt8, _ expected: String) throws(RFC3339Failure) {
        guard peek() == byte else { throw RFC3339Failure(reason: "\(expected), found \(found())") }
        index += 1
    }

    /// The character at `index`, described for an error message.
    private func found() -> String {
        guard let byte = peek() else { return "the end of the text" }
        switch byte {
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x20: return "a space"
        case 0x00..<0x80: return "U+00" + hex(byte)
        default:
            // The text came from a String, so it is valid UTF-8: decode the scalar for its number.
            var iterator = UnsafeBufferPointer(rebasing: bytes[index...]).makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                let digits = String(scalar.value, radix: 16, uppercase: true)
                return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            }
            return "byte 0x" + hex(byte)
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
    }
}
