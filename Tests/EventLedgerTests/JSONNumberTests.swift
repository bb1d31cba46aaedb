import EventLedger
import Testing
import FuzzSupport

@Suite("JSON numbers")
struct JSONNumberTests {
    @Test("integers read exactly up to the limits of Int64")
    func int64Limits() throws {
        let cases: [(String, Int64?)] = [
            ("0", 0), ("-0", 0), ("7", 7), ("-7", -7), ("1000000", 1_000_000),
            ("9223372036854775807", .max), ("-9223372036854775808", .min),
            ("9223372036854775806", .max - 1), ("-9223372036854775807", .min + 1),
            ("9223372036854775808", nil), ("-9223372036854775809", nil),
            ("99999999999999999999", nil), ("18446744073709551615", nil),
            ("1.0", nil), ("1e3", nil), ("1E0", nil), ("-0.0", nil),
        ]
        for (text, expected) in cases {
            let number = try #require(JSONNumber(text: text), "\(text)")
            #expect(number.int64 == expected, "\(text)")
        }
    }

    @Test("doubles are the nearest value, nil when the literal overflows")
    func doubles() throws {
        let cases: [(String, Double?)] = [
            ("0", 0), ("-0", -0.0), ("0.5", 0.5), ("-2.5e3", -2500), ("1E2", 100), ("1e-5", 0.00001),
            ("9223372036854775808", 9_223_372_036_854_775_808), ("0.1", 0.1),
            ("1.7976931348623157e308", .greatestFiniteMagnitude), ("5e-324", .leastNonzeroMagnitude),
            ("1e400", nil), ("-1e400", nil), ("1.8e308", nil), ("1e-400", 0),
            ("123456789012345678901234567890", 1.2345678901234568e29),
        ]
        for (text, expected) in cases {
            let number = try #require(JSONNumber(text: text), "\(text)")
            #expect(number.double == expected, "\(text)")
        }
        #expect(try #require(JSONNumber(text: "-0")).double?.sign == .minus)
    }

    @Test("a literal is an integer when it has no fraction and no exponent")
    func isInteger() throws {
        for text in ["0", "-0", "12", "9223372036854775808", "-123456789012345678901234567890"] {
            #expect(try #require(JSONNumber(text: text)).isInteger, "\(text)")
        }
        for text in ["0.0", "1.5", "1e2", "1E+2", "-3.0e-1"] {
            #expect(try !(#require(JSONNumber(text: text)).isInteger), "\(text)")
        }
    }

    @Test("init(text:) accepts exactly the RFC 8259 grammar")
    func grammar() {
        let valid = ["0", "-0", "1", "-1", "10", "0.0", "0.5", "-0.5", "1e5", "1E5", "1e+5", "1e-5", "1.5e005",
                     "0e0", "-0E-0", "123456789.987654321e123", String(repeating: "9", count: 400)]
        for text in valid {
            #expect(JSONNumber(text: text)?.text == text, "\(text)")
        }
        let invalid = ["", " 1", "1 ", "-", "+1", "01", "-01", "00", "1.", ".1", "-.1", "1.e5", "1e", "1e+", "1e-",
                       "1ee5", "1e5.0", "1.2.3", "--1", "NaN", "nan", "Infinity", "-Infinity", "inf", "0x1F",
                       "1_000", "1,5", "\u{661}", "１", "1\u{0}", "e5", "true", "\"1\"", "0b1", "1f"]
        for text in invalid {
            #expect(JSONNumber(text: text) == nil, "\(text.debugDescription)")
        }
    }

    @Test("from an Int64 the text is its decimal digits")
    func fromInt64() {
        #expect(JSONNumber(0).text == "0")
        #expect(JSONNumber(-42).text == "-42")
        #expect(JSONNumber(Int64.max).text == "9223372036854775807")
        #expect(JSONNumber(Int64.min).text == "-9223372036854775808")
        #expect(JSONValue.number(5) == .number(JSONNumber(5)))
        #expect(JSONValue.number(Int64(-5)) == .number(JSONNumber(-5)))
        var random = FuzzRandom(seed: 64)
        for _ in 0..<2_000 {
            let value = Int64(bitPattern: random.next()) >> Int.random(in: 0...63, using: &random)
            let number = JSONNumber(value)
            #expect(number.int64 == value)
            #expect(number.isInteger)
            #expect(JSONNumber(text: number.text) == number)
        }
    }

    @Test("from a Double the text is the shortest that reads back exactly; NaN and infinities give nil")
    func fromDouble() throws {
        #expect(JSONNumber(0.5)?.text == "0.5")
        #expect(JSONNumber(12.0)?.text == "12.0")
        #expect(JSONNumber(1e-5)?.text == "1e-05")
        #expect(JSONNumber(-0.0)?.text == "-0.0")
        #expect(JSONNumber(1e16)?.text == "1e+16")
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Double.infinity) == nil)
        #expect(JSONNumber(-Double.infinity) == nil)
        #expect(JSONNumber(Double.signalingNaN) == nil)
        for value in [Double.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                      .leastNormalMagnitude, .pi, 0.1, 1.0 / 3, 9_007_199_254_740_992, 1e300, -1e-300] {
            let number = try #require(JSONNumber(value))
            #expect(number.double == value, "\(value)")
            #expect(JSONNumber(text: number.text) == number)
        }
        var random = FuzzRandom(seed: 1.0.bitPattern)
        var checked = 0
        while checked < 3_000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else {
                #expect(JSONNumber(value) == nil)
                continue
            }
            let number = try #require(JSONNumber(value), "\(value)")
            #expect(number.double?.bitPattern == value.bitPattern, "\(value)")
            #expect(JSONNumber(text: number.text) != nil, "\(number.text)")
            checked += 1
        }
    }

    @Test("numbers are equal when their text is, so 1 and 1.0 differ")
    func equality() throws {
        let one = try #require(JSONNumber(text: "1"))
        let onePointZero = try #require(JSONNumber(text: "1.0"))
        #expect(one == JSONNumber(1))
        #expect(one != onePointZero)
        #expect(one.double == onePointZero.double)
        #expect(Set([one, JSONNumber(1), onePointZero]).count == 2)
        #expect(one.description == "1")
    }

    @Test("the parser keeps a number's text exactly, for any literal of the grammar")
    func parsedText() throws {
        var random = FuzzRandom(seed: 99)
        for _ in 0..<2_000 {
            let number = RandomJSON.number(using: &random)
            #expect(try JSONParser.parse(number.text) == .number(number))
            #expect(try JSONParser.parse("[\(number.text)]") == .array([.number(number)]))
        }
    }
}
