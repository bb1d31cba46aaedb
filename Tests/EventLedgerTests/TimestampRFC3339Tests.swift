import EventLedger
import Testing
import FuzzSupport

private func micros(_ text: String) -> Int64? {
    (try? Timestamp(rfc3339: text))?.microsecondsSinceEpoch
}

/// Expects `text` to be rejected with exactly `reason`.
private func expectRejected(_ text: String, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let result = Result { () throws(TimestampFormatError) -> Timestamp in try Timestamp(rfc3339: text) }
    switch result {
    case .success(let timestamp):
        Issue.record("\(text.debugDescription) read as \(timestamp.rfc3339)", sourceLocation: sourceLocation)
    case .failure(let error):
        #expect(error.reason == reason, "\(text.debugDescription)", sourceLocation: sourceLocation)
        #expect(error.text == text, sourceLocation: sourceLocation)
    }
}

@Suite("RFC 3339 timestamps")
struct TimestampRFC3339Tests {
    @Test("known instants read to their microseconds")
    func knownValues() {
        #expect(micros("1970-01-01T00:00:00Z") == 0)
        #expect(micros("2026-03-01T15:00:00Z") == 1_772_377_200_000_000)
        #expect(micros("2026-03-01T15:00:00.000000Z") == 1_772_377_200_000_000)
        #expect(micros("1969-12-31T23:59:59.999999Z") == -1)
        #expect(micros("1969-12-31T23:59:59Z") == -1_000_000)
        #expect(micros("1900-01-01T00:00:00Z") == -2_208_988_800_000_000)
        #expect(micros("0000-01-01T00:00:00Z") == -62_167_219_200_000_000)
        #expect(micros("2024-02-29T12:00:00Z") == 1_709_208_000_000_000)
        #expect(micros("2000-02-29T00:00:00Z") == 951_782_400_000_000)
        #expect(micros("9999-12-31T23:59:59.999999Z") == 253_402_300_799_999_999)
    }

    @Test("fractions of 1 to 6 digits scale to microseconds")
    func fractions() {
        #expect(micros("1970-01-01T00:00:00.5Z") == 500_000)
        #expect(micros("1970-01-01T00:00:00.05Z") == 50_000)
        #expect(micros("1970-01-01T00:00:00.123Z") == 123_000)
        #expect(micros("1970-01-01T00:00:00.1234Z") == 123_400)
        #expect(micros("1970-01-01T00:00:00.12345Z") == 123_450)
        #expect(micros("1970-01-01T00:00:00.123456Z") == 123_456)
        #expect(micros("1970-01-01T00:00:00.000001Z") == 1)
        #expect(micros("1969-12-31T23:59:59.5Z") == -500_000)
    }

    @Test("offsets are subtracted to give UTC, across day, month and year boundaries")
    func offsets() {
        let noon = micros("2026-03-01T15:00:00Z")
        #expect(micros("2026-03-01T20:30:00+05:30") == noon)
        #expect(micros("2026-03-01T07:00:00-08:00") == noon)
        #expect(micros("2026-03-01T15:00:00+00:00") == noon)
        #expect(micros("2026-03-01T15:00:00-00:00") == noon)
        // -08:00 pushes the evening of 28 February into 1 March in UTC.
        #expect(micros("2026-02-28T23:00:00-08:00") == micros("2026-03-01T07:00:00Z"))
        // +05:30 pulls the early hours of 1 March back into 28 February.
        #expect(micros("2026-03-01T01:00:00+05:30") == micros("2026-02-28T19:30:00Z"))
        #expect(micros("2024-03-01T00:00:00+01:00") == micros("2024-02-29T23:00:00Z"))
        #expect(micros("2025-12-31T23:59:59.999999-23:59") == micros("2026-01-01T23:58:59.999999Z"))
        #expect(micros("2026-01-01T00:00:00+23:59") == micros("2025-12-31T00:01:00Z"))
    }

    @Test("'t' and 'z' may be lower case")
    func lowerCase() {
        #expect(micros("2026-03-01t15:00:00z") == 1_772_377_200_000_000)
        #expect(micros("2026-03-01t15:00:00.25Z") == 1_772_377_200_250_000)
    }

    @Test("rfc3339 writes UTC with six fractional digits")
    func formatting() {
        let cases: [(Int64, String)] = [
            (0, "1970-01-01T00:00:00.000000Z"),
            (-1, "1969-12-31T23:59:59.999999Z"),
            (1, "1970-01-01T00:00:00.000001Z"),
            (1_772_377_200_000_000, "2026-03-01T15:00:00.000000Z"),
            (1_709_208_000_123_456, "2024-02-29T12:00:00.123456Z"),
            (-2_208_988_800_000_000, "1900-01-01T00:00:00.000000Z"),
            (-62_167_219_200_000_000, "0000-01-01T00:00:00.000000Z"),
            (-62_167_219_200_000_001, "-000001-12-31T23:59:59.999999Z"),
            (253_402_300_799_999_999, "9999-12-31T23:59:59.999999Z"),
            (253_402_300_800_000_000, "+010000-01-01T00:00:00.000000Z"),
            (.min, "-290308-12-21T19:59:05.224192Z"),
            (.max, "+294247-01-10T04:00:54.775807Z"),
        ]
        for (value, text) in cases {
            #expect(Timestamp(microsecondsSinceEpoch: value).rfc3339 == text, "\(value)")
            #expect(micros(text) == value, "\(text)")
        }
        #expect(Timestamp.distantPast.rfc3339 == "-290308-12-21T19:59:05.224192Z")
        #expect(Timestamp.distantFuture.rfc3339 == "+294247-01-10T04:00:54.775807Z")
    }

    @Test("the expanded year form reads for any year, inside 0000-9999 too")
    func expandedYears() {
        #expect(micros("+002026-03-01T15:00:00Z") == 1_772_377_200_000_000)
        #expect(micros("+000000-01-01T00:00:00Z") == micros("0000-01-01T00:00:00Z"))
        #expect(micros("-000001-12-31T23:59:59.999999Z") == -62_167_219_200_000_001)
        #expect(micros("+010000-01-01T00:00:00Z") == 253_402_300_800_000_000)
        // Year -4 is a leap year in the proleptic Gregorian calendar, year -100 is not.
        #expect(micros("-000004-02-29T00:00:00Z") != nil)
        expectRejected("-000100-02-29T00:00:00Z", "day 29 is not in February -100, which has 28 days")
    }

    @Test("every microsecond value writes text that reads back to it")
    func roundTrip() throws {
        var random = FuzzRandom(seed: 3339)
        var values: [Int64] = [.min, .min + 1, .max, .max - 1, 0, -1, 1, 999_999, -1_000_000, -1_000_001]
        for _ in 0..<5_000 { values.append(Int64(bitPattern: random.next())) }
        // Values in the common range, where 4-digit years are written.
        for _ in 0..<5_000 { values.append(Int64.random(in: -62_167_219_200_000_000...253_402_300_799_999_999, using: &random)) }
        for value in values {
            let text = Timestamp(microsecondsSinceEpoch: value).rfc3339
            let back = try Timestamp(rfc3339: text)
            #expect(back.microsecondsSinceEpoch == value, "\(value) → \(text)")
        }
    }

    @Test("local times with an offset read to the same instant as UTC")
    func offsetRoundTrip() throws {
        var random = FuzzRandom(seed: 530)
        for _ in 0..<3_000 {
            let value = Int64.random(in: -1_000_000_000_000_000...1_000_000_000_000_000, using: &random)
            let offsetMinutes = Int64.random(in: -(23 * 60 + 59)...(23 * 60 + 59), using: &random)
            let local = Timestamp(microsecondsSinceEpoch: value + offsetMinutes * 60_000_000).rfc3339
            let sign = offsetMinutes < 0 ? "-" : "+"
            let hours = offsetMinutes.magnitude / 60
            let minutes = offsetMinutes.magnitude % 60
            let offset = sign + (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes < 10 ? "0" : "") + String(minutes)
            let text = String(local.dropLast()) + offset
            #expect(try Timestamp(rfc3339: text).microsecondsSinceEpoch == value, "\(text)")
        }
    }

    @Test("day by day from 1896 to 2104 the date advances through each month's length")
    func calendarWalk() throws {
        var year = 1896, month = 1, day = 1
        let start = try Timestamp(rfc3339: "1896-01-01T00:00:00Z").microsecondsSinceEpoch
        let dayLength: Int64 = 86_400_000_000
        for index in 0..<Int64(76_336) {
            let expected = String(format4(year)) + "-" + two(month) + "-" + two(day) + "T00:00:00.000000Z"
            let timestamp = Timestamp(microsecondsSinceEpoch: start + index * dayLength)
            guard timestamp.rfc3339 == expected else {
                Issue.record("day \(index): \(timestamp.rfc3339), expected \(expected)")
                return
            }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            day += 1
            if day > length {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        #expect(year == 2105)
    }

    private func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private func format4(_ value: Int) -> String { String(repeating: "0", count: 4 - String(value).count) + String(value) }

    @Test("impossible dates and times are rejected, naming the part at fault")
    func invalidCalendar() {
        expectRejected("2026-13-01T00:00:00Z", "month 13 is not 01-12")
        expectRejected("2026-00-01T00:00:00Z", "month 0 is not 01-12")
        expectRejected("2026-01-00T00:00:00Z", "day 0 is not 01-31")
        expectRejected("2026-01-32T00:00:00Z", "day 32 is not 01-31")
        expectRejected("2026-02-29T00:00:00Z", "day 29 is not in February 2026, which has 28 days")
        expectRejected("2024-02-30T00:00:00Z", "day 30 is not in February 2024, which has 29 days")
        expectRejected("1900-02-29T00:00:00Z", "day 29 is not in February 1900, which has 28 days")
        expectRejected("2026-04-31T00:00:00Z", "day 31 is not in April 2026, which has 30 days")
        expectRejected("2026-03-01T24:00:00Z", "hour 24 is not 00-23")
        expectRejected("2026-03-01T15:60:00Z", "minute 60 is not 00-59")
        expectRejected("2026-03-01T15:00:60Z", "second 60 is a leap second, which a Timestamp cannot represent")
        expectRejected("2016-12-31T23:59:60Z", "second 60 is a leap second, which a Timestamp cannot represent")
        expectRejected("2026-03-01T15:00:61Z", "second 61 is not 00-59")
        expectRejected("2026-03-01T15:00:00+24:00", "offset hour 24 is not 00-23")
        expectRejected("2026-03-01T15:00:00-05:60", "offset minute 60 is not 00-59")
    }

    @Test("malformed text is rejected, naming what was expected")
    func invalidSyntax() {
        expectRejected("", "expected a 4-digit year (or a sign and 6 digits), found the end of the text")
        expectRejected(" 2026-03-01T15:00:00Z", "leading whitespace is not allowed")
        expectRejected("\n2026-03-01T15:00:00Z", "leading whitespace is not allowed")
        expectRejected("2026-03-01T15:00:00Z ", "trailing whitespace is not allowed")
        expectRejected("2026-03-01T15:00:00Z\n", "trailing whitespace is not allowed")
        expectRejected("2026-03-01T15:00:00Zx", "unexpected 'x' after the time zone")
        expectRejected("2026-03-01T15:00:00+01:00Z", "unexpected 'Z' after the time zone")
        expectRejected("2026-03-01 15:00:00Z", "expected 'T' between the date and the time, found a space")
        expectRejected("2026-03-01", "expected 'T' between the date and the time, found the end of the text")
        expectRejected("2026-03-01T15:00:00", "expected 'Z' or an offset like +01:00 after the time, found the end of the text")
        expectRejected("2026-03-01T15:00:00UTC", "expected 'Z' or an offset like +01:00 after the time, found 'U'")
        expectRejected("2026-03-01T15:00:00+0100", "expected ':' between the offset hours and minutes, found '0'")
        expectRejected("2026-03-01T15:00:00+1:00", "expected a 2-digit offset hour, found ':'")
        expectRejected("2026-03-01T15:00:00+01:0", "expected a 2-digit offset minute, found the end of the text")
        expectRejected("2026-03-01T15:00Z", "expected ':' after the minute, found 'Z'")
        expectRejected("2026-03-01T15Z", "expected ':' after the hour, found 'Z'")
        expectRejected("2026-03-01T5:00:00Z", "expected a 2-digit hour, found ':'")
        expectRejected("2026-03-01T15:0a:00Z", "expected a 2-digit minute, found 'a'")
        expectRejected("2026-03-01T15:00:0Z", "expected a 2-digit second, found 'Z'")
        expectRejected("2026-3-01T15:00:00Z", "expected a 2-digit month, found '-'")
        expectRejected("2026-03-1T15:00:00Z", "expected a 2-digit day, found 'T'")
        expectRejected("2026/03/01T15:00:00Z", "expected '-' after the year, found '/'")
        expectRejected("2026-03/01T15:00:00Z", "expected '-' after the month, found '/'")
        expectRejected("26-03-01T15:00:00Z", "expected a 4-digit year (or a sign and 6 digits), found '-'")
        expectRejected("20260-03-01T15:00:00Z", "a year of more than 4 digits needs a sign and 6 digits, like +012026")
        expectRejected("+2026-03-01T15:00:00Z", "expected 6 digits after the sign of an expanded year, found '-'")
        expectRejected("+0020260-03-01T15:00:00Z", "expected '-' after the year, found '0'")
        expectRejected("2026-03-01T15:00:00.Z", "expected a digit after '.' in the fraction of a second, found 'Z'")
        expectRejected("2026-03-01T15:00:00,5Z", "expected 'Z' or an offset like +01:00 after the time, found ','")
        expectRejected("2026-03-01T15:00:00.1234567Z", "a fraction of 7 digits is more precise than a microsecond (at most 6 digits)")
        expectRejected("2026-03-01T15:00:00.1234560Z", "a fraction of 7 digits is more precise than a microsecond (at most 6 digits)")
        expectRejected("２026-03-01T15:00:00Z", "expected a 4-digit year (or a sign and 6 digits), found U+FF12")
        expectRejected("2026-03-01T15:00:00\u{0}", "expected 'Z' or an offset like +01:00 after the time, found U+0000")
        expectRejected("2026-03-01T15:00:00Z\u{200B}", "unexpected U+200B after the time zone")
    }

    @Test("times outside the range of a Timestamp are rejected, not wrapped or trapped")
    func outOfRange() {
        let reason = "the time is outside the range of a Timestamp, -290308-12-21T19:59:05.224192Z to +294247-01-10T04:00:54.775807Z"
        expectRejected("+294247-01-10T04:00:54.775808Z", reason)
        expectRejected("-290308-12-21T19:59:05.224191Z", reason)
        expectRejected("+999999-12-31T23:59:59.999999Z", reason)
        expectRejected("-999999-01-01T00:00:00Z", reason)
        expectRejected("+294247-01-10T04:00:54.775807-00:01", reason)
        expectRejected("-290308-12-21T19:59:05.224192+00:01", reason)
        #expect(micros("+294247-01-10T04:00:54.775807+00:01") == Int64.max - 60_000_000)
        #expect(micros("-290308-12-21T19:59:05.224192-00:01") == Int64.min + 60_000_000)
        #expect(micros("+294247-01-10T04:00:54.775807Z") == .max)
        #expect(micros("-290308-12-21T19:59:05.224192Z") == .min)
    }

    @Test("an error describes the text and the reason, shortening long text")
    func errorDescription() {
        let error = TimestampFormatError(text: "2026-13-01T00:00:00Z", reason: "month 13 is not 01-12")
        #expect(error.description == #""2026-13-01T00:00:00Z" is not an RFC 3339 timestamp: month 13 is not 01-12"#)
        let long = TimestampFormatError(text: String(repeating: "9", count: 1_000), reason: "r")
        #expect(long.description.count < 120)
    }

    @Test("random text never crashes the reader")
    func randomText() {
        var random = FuzzRandom(seed: 0xDA7E)
        let alphabet = Array("0123456789-+:.TtZz 9")
        let valid = Array("2026-03-01T15:00:00.123456+05:30")
        for _ in 0..<5_000 {
            var characters = valid
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0..<characters.count, using: &random)
                let character = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                switch Int.random(in: 0..<3, using: &random) {
                case 0: characters[position] = character
                case 1: characters.insert(character, at: position)
                default: characters.remove(at: position)
                }
            }
            let text = String(characters)
            if let timestamp = try? Timestamp(rfc3339: text) {
                // Whatever reads must format and read back to the same instant.
                #expect(micros(timestamp.rfc3339) == timestamp.microsecondsSinceEpoch, "\(text)")
            }
        }
    }
}
