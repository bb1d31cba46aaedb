import Accountability
import Foundation
import Testing

/// ``CSVField``: RFC 4180 fields and records, checked literally and against a strict RFC 4180
/// reader (``parse(_:)``), so that any spreadsheet or CSV library reads back the same fields.
@Suite("CSVField")
struct CSVFieldTests {
    /// Reads RFC 4180 text strictly, scalar by scalar (a Swift `Character` would merge CRLF, or a
    /// quote and a combining mark, into one): records end with CRLF (the last one may not), a
    /// field holding a comma, a quote or a line break must be quoted, and a quote inside a quoted
    /// field is doubled. Returns `nil` for text that is not RFC 4180.
    static func parse(_ text: String) -> [[String]]? {
        let scalars = Array(text.unicodeScalars)
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var index = 0
        var quoted = false
        var closedQuote = false
        var fieldStarted = false
        func endField() {
            record.append(String(field))
            field = String.UnicodeScalarView()
            quoted = false
            closedQuote = false
            fieldStarted = false
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if quoted, !closedQuote {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.append("\"")
                        index += 2
                        continue
                    }
                    closedQuote = true
                } else {
                    field.append(scalar)
                }
                index += 1
                continue
            }
            switch scalar {
            case ",":
                endField()
                index += 1
                continue
            case "\r":
                guard index + 1 < scalars.count, scalars[index + 1] == "\n" else { return nil }
                endField()
                records.append(record)
                record = []
                index += 2
                continue
            case "\n":
                return nil
            case "\"":
                guard !fieldStarted else { return nil }
                quoted = true
            default:
                guard !closedQuote else { return nil }
                field.append(scalar)
            }
            fieldStarted = true
            index += 1
        }
        if quoted, !closedQuote { return nil }
        if fieldStarted || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }

    // MARK: - escape

    @Test("plain text, spaces included, is written as is")
    func plain() {
        #expect(CSVField.escape("abc") == "abc")
        #expect(CSVField.escape(" padded value ") == " padded value ")
        #expect(CSVField.escape("mentorship/6f1c0001-0000-4000-8000-000000000001") == "mentorship/6f1c0001-0000-4000-8000-000000000001")
        #expect(CSVField.escape("2026-03-01T15:00:00.123457Z") == "2026-03-01T15:00:00.123457Z")
        #expect(CSVField.escape("semi;colon\ttab") == "semi;colon\ttab")
    }

    @Test("the empty field is empty")
    func empty() {
        #expect(CSVField.escape("") == "")
    }

    @Test("a comma makes the field quoted")
    func comma() {
        #expect(CSVField.escape("a,b") == "\"a,b\"")
        #expect(CSVField.escape(",") == "\",\"")
        #expect(CSVField.escape("{\"a\":1,\"b\":2}") == "\"{\"\"a\"\":1,\"\"b\"\":2}\"")
    }

    @Test("a quote is doubled inside a quoted field")
    func quotes() {
        #expect(CSVField.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVField.escape("\"") == "\"\"\"\"")
        #expect(CSVField.escape("\"\"") == "\"\"\"\"\"\"")
        #expect(CSVField.escape("5\" floppy") == "\"5\"\" floppy\"")
    }

    @Test("a line feed, a carriage return or CRLF makes the field quoted, kept as is inside it")
    func lineBreaks() {
        #expect(CSVField.escape("a\nb") == "\"a\nb\"")
        #expect(CSVField.escape("a\rb") == "\"a\rb\"")
        #expect(CSVField.escape("a\r\nb") == "\"a\r\nb\"")
        #expect(CSVField.escape("\n") == "\"\n\"")
        #expect(CSVField.escape("x\r\n\"y\"") == "\"x\r\n\"\"y\"\"\"")
    }

    @Test("non-ASCII text is written as is, and quoted only for the same reasons")
    func nonASCII() {
        #expect(CSVField.escape("é日本語🎉👨‍👩‍👧") == "é日本語🎉👨‍👩‍👧")
        #expect(CSVField.escape("e\u{301}") == "e\u{301}")
        #expect(CSVField.escape("café, s'il vous plaît") == "\"café, s'il vous plaît\"")
        #expect(CSVField.escape("「引用」\"🎉\"") == "\"「引用」\"\"🎉\"\"\"")
    }

    @Test("a quote followed by a combining mark is doubled like any other quote")
    func quoteBeforeCombiningMark() {
        // The quote and U+0301 form one Character; CSV is about the quote scalar.
        let text = "a\"\u{301}b"
        #expect(CSVField.escape(text) == "\"a\"\"\u{301}b\"")
        #expect(Self.parse(CSVField.record([text, "next"])) == [[text, "next"]])
    }

    // MARK: - record

    @Test("a record joins its fields with commas and ends with CRLF")
    func record() {
        #expect(CSVField.record(["a", "b", "c"]) == "a,b,c\r\n")
        #expect(CSVField.record(["a", "b,c", "", "d\"e", "f\ng"]) == "a,\"b,c\",,\"d\"\"e\",\"f\ng\"\r\n")
        #expect(CSVField.record(["", ""]) == ",\r\n")
        #expect(CSVField.record(["only"]) == "only\r\n")
    }

    @Test("records of tricky fields read back as the same fields with a strict RFC 4180 reader")
    func recordsReadBack() throws {
        let fields = [
            "", "plain", " spaced ", ",", "\"", "\"\"", "a,b", "say \"hi\", then \"bye\"", "line\nbreak", "cr\ronly",
            "crlf\r\ninside", "\r\n", "trailing\n", "é日本語", "🎉👨‍👩‍👧", "e\u{301}", "{\"data\":{\"note\":\"a,\\\"b\\\"\"}}",
        ]
        let text = CSVField.record(fields) + CSVField.record(fields.reversed()) + CSVField.record(["last"])
        let records = try #require(Self.parse(text))
        #expect(records == [fields, fields.reversed(), ["last"]])
        // One field each, too: a field alone on its record is read back whole.
        for field in fields where !field.isEmpty {
            #expect(Self.parse(CSVField.record([field])) == [[field]], "\(field.debugDescription)")
        }
    }

    @Test("the strict reader used by these tests rejects what is not RFC 4180")
    func readerIsStrict() {
        #expect(Self.parse("a\"b\r\n") == nil, "a quote in an unquoted field")
        #expect(Self.parse("\"a\"b\r\n") == nil, "text after a closing quote")
        #expect(Self.parse("\"open\r\n") == nil, "an unterminated quote")
        #expect(Self.parse("a\nb\r\n") == nil, "a bare line feed")
        #expect(Self.parse("a,b\r\nc") == [["a", "b"], ["c"]])
    }
}
