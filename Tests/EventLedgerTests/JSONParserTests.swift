import EventLedger
import Testing
import FuzzSupport

/// The result of parsing, with the typed error kept.
private func parsed(_ bytes: [UInt8], maximumDepth: Int = JSONParser.defaultMaximumDepth) -> Result<JSONValue, JSONError> {
    Result { () throws(JSONError) -> JSONValue in try JSONParser.parse(bytes, maximumDepth: maximumDepth) }
}

private func parsed(_ text: String, maximumDepth: Int = JSONParser.defaultMaximumDepth) -> Result<JSONValue, JSONError> {
    Result { () throws(JSONError) -> JSONValue in try JSONParser.parse(text, maximumDepth: maximumDepth) }
}

/// Expects `bytes` to be rejected at `offset` with exactly `reason`.
private func expectRejected(
    _ bytes: [UInt8], at offset: Int, _ reason: String, maximumDepth: Int = JSONParser.defaultMaximumDepth,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let shown = String(decoding: bytes.prefix(80), as: UTF8.self).debugDescription
    switch parsed(bytes, maximumDepth: maximumDepth) {
    case .success(let value):
        Issue.record("\(shown) parsed as \(value)", sourceLocation: sourceLocation)
    case .failure(let error):
        #expect(error.offset == offset, "\(shown): \(error)", sourceLocation: sourceLocation)
        #expect(error.reason == reason, "\(shown): \(error)", sourceLocation: sourceLocation)
    }
}

private func expectRejected(
    _ text: String, at offset: Int, _ reason: String, maximumDepth: Int = JSONParser.defaultMaximumDepth,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectRejected(Array(text.utf8), at: offset, reason, maximumDepth: maximumDepth, sourceLocation: sourceLocation)
}

/// Expects `text` to parse to `expected`.
private func expectParses(_ text: String, _ expected: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
    switch parsed(text) {
    case .success(let value): #expect(value == expected, "\(text.debugDescription)", sourceLocation: sourceLocation)
    case .failure(let error): Issue.record("\(text.debugDescription): \(error)", sourceLocation: sourceLocation)
    }
}

private func number(_ text: String) -> JSONValue {
    guard let number = JSONNumber(text: text) else { return .string("not a number: \(text)") }
    return .number(number)
}

private func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue { .object(JSONObject(pairs)) }

private func nested(_ depth: Int) -> String {
    String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
}

@Suite("JSON parser")
struct JSONParserTests {
    // MARK: - Documents

    @Test("scalars, containers and whitespace around and between them")
    func validDocuments() {
        expectParses("null", .null)
        expectParses("true", .bool(true))
        expectParses("false", .bool(false))
        expectParses("0", number("0"))
        expectParses("\"\"", .string(""))
        expectParses("[]", .array([]))
        expectParses("{}", .object(JSONObject([])))
        expectParses(" \t\r\n42 \t\r\n", number("42"))
        expectParses(
            " {\t\"a\" :\n[ 1 ,\r2 ] , \"b\" : { } , \"c\":[ ] } ",
            object(["a": .array([number("1"), number("2")]), "b": object([:]), "c": .array([])])
        )
        expectParses(
            #"[null,true,false,-1.5e3,"x",[[]],{"k":{"k":null}}]"#,
            .array([.null, .bool(true), .bool(false), number("-1.5e3"), .string("x"), .array([.array([])]),
                    object(["k": object(["k": .null])])])
        )
    }

    @Test("object members keep their written order")
    func memberOrder() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":2,"m":3}"#)
        guard case .object(let object) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == .number(2))
        #expect(object["q"] == nil)
    }

    @Test("the String, byte array and buffer entry points agree")
    func entryPoints() throws {
        let text = #"{"name":"Zoë","n":[1,2.5]}"#
        let bytes = Array(text.utf8)
        let fromString = try JSONParser.parse(text)
        #expect(try JSONParser.parse(bytes) == fromString)
        let fromBuffer = try bytes.withUnsafeBytes { buffer in try JSONParser.parse(buffer) }
        #expect(fromBuffer == fromString)
        let empty = Result { () throws(JSONError) -> JSONValue in
            try JSONParser.parse(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        #expect(empty.failure == JSONError(offset: 0, reason: "empty input"))
    }

    @Test("an error describes itself as its byte offset and reason")
    func errorDescription() {
        let error = parsed(#"{"goal":"value12"x}"#).failure
        #expect(error?.description == "byte 17: expected ',' or '}' after an object member, found 'x'")
        #expect(JSONError(offset: 3, reason: "r").description == "byte 3: r")
    }

    @Test("empty input, trailing bytes, a byte order mark and stray characters are rejected")
    func documentErrors() {
        expectRejected("", at: 0, "empty input")
        expectRejected("   ", at: 3, "expected a value, found end of input")
        expectRejected(" \t\r\n", at: 4, "expected a value, found end of input")
        expectRejected("1 2", at: 2, "expected end of input after the value, found '2'")
        expectRejected("{} []", at: 3, "expected end of input after the value, found '['")
        expectRejected("1 /* comment */", at: 2, "expected end of input after the value, found '/'")
        expectRejected("\u{FEFF}1", at: 0, "a byte order mark (U+FEFF) is not allowed before the value")
        expectRejected(" \u{FEFF}1", at: 1, "expected a value, found U+FEFF")
        expectRejected("\u{0B}1", at: 0, "expected a value, found control character U+000B")
        expectRejected("\u{0C}1", at: 0, "expected a value, found control character U+000C")
        expectRejected("\u{A0}1", at: 0, "expected a value, found U+00A0")
        expectRejected("\u{0}", at: 0, "expected a value, found control character U+0000")
        expectRejected("1\u{0}", at: 1, "expected end of input after the value, found control character U+0000")
        expectRejected("1\u{7F}", at: 1, "expected end of input after the value, found control character U+007F")
        expectRejected("x", at: 0, "expected a value, found 'x'")
        expectRejected("'a'", at: 0, "expected a value, found '''")
        expectRejected("]", at: 0, "expected a value, found ']'")
        expectRejected("}", at: 0, "expected a value, found '}'")
        expectRejected("😀", at: 0, "expected a value, found U+1F600")
    }

    // MARK: - Literals

    @Test("true, false and null must be spelled exactly")
    func literalErrors() {
        expectRejected("tru", at: 3, "expected 'true', found end of input")
        expectRejected("trUe", at: 2, "expected 'true', found 'U'")
        expectRejected("nul", at: 3, "expected 'null', found end of input")
        expectRejected("nill", at: 1, "expected 'null', found 'i'")
        expectRejected("nan", at: 1, "expected 'null', found 'a'")
        expectRejected("falsy", at: 4, "expected 'false', found 'y'")
        expectRejected("True", at: 0, "expected a value, found 'T'")
        expectRejected("NULL", at: 0, "expected a value, found 'N'")
        expectRejected("truex", at: 4, "expected end of input after the value, found 'x'")
        expectRejected("[truefalse]", at: 5, "expected ',' or ']' after an array element, found 'f'")
        expectRejected("NaN", at: 0, "NaN is not a JSON number")
        expectRejected("Infinity", at: 0, "Infinity is not a JSON number")
        expectRejected("-Infinity", at: 0, "-Infinity is not a JSON number")
        expectRejected("[1,NaN]", at: 3, "NaN is not a JSON number")
        expectRejected("undefined", at: 0, "expected a value, found 'u'")
    }

    // MARK: - Numbers

    @Test("numbers that follow the grammar keep their text")
    func validNumbers() throws {
        for text in ["0", "-0", "1", "-1", "10", "0.5", "-0.5e10", "1E5", "1e+5", "1e-5", "1E-05", "0e0",
                     "123.456e-789", "-9223372036854775808", "18446744073709551616", "1.000", "0.0"] {
            let value = try JSONParser.parse(text)
            #expect(value == number(text), "\(text)")
            if case .number(let parsedNumber) = value { #expect(parsedNumber.text == text) }
            expectParses("[\(text)]", .array([number(text)]))
            expectParses(#"{"n":\#(text)}"#, object(["n": number(text)]))
        }
    }

    @Test("leading zeros, a plus sign, bare points and missing exponent digits are rejected")
    func numberErrors() {
        expectRejected("01", at: 0, "a number cannot have a leading zero")
        expectRejected("-01", at: 1, "a number cannot have a leading zero")
        expectRejected("00", at: 0, "a number cannot have a leading zero")
        expectRejected("[1,012]", at: 3, "a number cannot have a leading zero")
        expectRejected("+1", at: 0, "a number cannot start with '+'")
        expectRejected(".5", at: 0, "a number cannot start with '.'")
        expectRejected("[-.5]", at: 2, "expected a digit after '-', found '.'")
        expectRejected("5.", at: 2, "expected a digit after the decimal point, found end of input")
        expectRejected("5.e3", at: 2, "expected a digit after the decimal point, found 'e'")
        expectRejected("[5.]", at: 3, "expected a digit after the decimal point, found ']'")
        expectRejected("1e", at: 2, "expected a digit in the exponent, found end of input")
        expectRejected("1e+", at: 3, "expected a digit in the exponent, found end of input")
        expectRejected("1E-x", at: 3, "expected a digit in the exponent, found 'x'")
        expectRejected("1e+-2", at: 3, "expected a digit in the exponent, found '-'")
        expectRejected("-", at: 1, "expected a digit after '-', found end of input")
        expectRejected("-a", at: 1, "expected a digit after '-', found 'a'")
        expectRejected("--1", at: 1, "expected a digit after '-', found '-'")
        expectRejected("- 1", at: 1, "expected a digit after '-', found a space")
        expectRejected("0x10", at: 1, "expected end of input after the value, found 'x'")
        expectRejected("1.5.2", at: 3, "expected end of input after the value, found '.'")
        expectRejected("1e5.5", at: 3, "expected end of input after the value, found '.'")
        expectRejected("1_000", at: 1, "expected end of input after the value, found '_'")
        expectRejected("\u{661}", at: 0, "expected a value, found U+0661")
    }

    // MARK: - Strings

    @Test("every escape, surrogate pairs and raw UTF-8 decode")
    func validStrings() {
        expectParses(#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{C}\n\r\t"))
        expectParses(#""\u0000""#, .string("\u{0}"))
        expectParses(#""\u00e9\u00E9\u0041""#, .string("ééA"))
        expectParses(#""\ud83d\ude00\uD83D\uDE00""#, .string("😀😀"))
        expectParses(#""\uD800\uDC00""#, .string("\u{10000}"))
        expectParses(#""\uDBFF\uDFFF""#, .string("\u{10FFFF}"))
        expectParses(#""\uFFFF\uFEFF\uD7FF\uE000""#, .string("\u{FFFF}\u{FEFF}\u{D7FF}\u{E000}"))
        expectParses("\"é😀\u{7F}\u{10FFFF}\u{2028}\"", .string("é😀\u{7F}\u{10FFFF}\u{2028}"))
        expectParses(#""abc\tdef\u0041ghi\"""#, .string("abc\tdefAghi\""))
        expectParses(#""é\n😀""#, .string("é\n😀"))
        expectParses(#""\\\\""#, .string("\\\\"))
        expectParses(#""/""#, .string("/"))
    }

    @Test("UTF-8 at the edges of each sequence length is accepted")
    func utf8Boundaries() throws {
        let scalars: [UInt32] = [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF]
        for value in scalars {
            let scalar = try #require(Unicode.Scalar(value))
            let text = String(Character(scalar))
            #expect(try JSONParser.parse(Array(("\"" + text + "\"").utf8)) == .string(text), "U+\(String(value, radix: 16))")
        }
    }

    @Test("unterminated strings, control characters, bad escapes and lone surrogates are rejected")
    func stringErrors() {
        expectRejected(#""abc"#, at: 4, "unexpected end of input inside a string")
        expectRejected(#"""#, at: 1, "unexpected end of input inside a string")
        expectRejected(#""ab\"#, at: 4, "unexpected end of input inside a string")
        expectRejected(#""a\nb"#, at: 5, "unexpected end of input inside a string")
        expectRejected(#""\u12"#, at: 5, "unexpected end of input inside a string")
        expectRejected(#""\uD83D"#, at: 7, "unexpected end of input inside a string")
        expectRejected(#""\uD83D\"#, at: 8, "unexpected end of input inside a string")
        expectRejected(#""\uD83D\u"#, at: 9, "unexpected end of input inside a string")
        expectRejected(#"["a"#, at: 3, "unexpected end of input inside a string")
        expectRejected("\"a\nb\"", at: 2, "control character U+000A must be escaped in a string")
        expectRejected("\"\t\"", at: 1, "control character U+0009 must be escaped in a string")
        expectRejected("\"\u{1F}\"", at: 1, "control character U+001F must be escaped in a string")
        expectRejected("\"\u{0}\"", at: 1, "control character U+0000 must be escaped in a string")
        expectRejected("\"\\n\u{0}\"", at: 3, "control character U+0000 must be escaped in a string")
        let badEscape = #"expected an escape (\" \\ \/ \b \f \n \r \t or \u) after '\', found "#
        expectRejected(#""\x""#, at: 2, badEscape + "'x'")
        expectRejected(#""\U0041""#, at: 2, badEscape + "'U'")
        expectRejected(#""\'""#, at: 2, badEscape + "'''")
        expectRejected("\"\\\n\"", at: 2, badEscape + "control character U+000A")
        expectRejected("\"\\é\"", at: 2, badEscape + "U+00E9")
        expectRejected(#""\u12G4""#, at: 5, #"expected 4 hex digits after '\u', found 'G'"#)
        expectRejected(#""\u 123""#, at: 3, #"expected 4 hex digits after '\u', found a space"#)
        expectRejected(#""\u12""#, at: 5, #"expected 4 hex digits after '\u', found '"'"#)
        expectRejected(#""\uD800\uDC0G""#, at: 12, #"expected 4 hex digits after '\u', found 'G'"#)
        expectRejected(#""\uD800""#, at: 1, #"\uD800 is a high surrogate not followed by a low surrogate escape"#)
        expectRejected(#""\uD800x""#, at: 1, #"\uD800 is a high surrogate not followed by a low surrogate escape"#)
        expectRejected(#""\uD800\n""#, at: 1, #"\uD800 is a high surrogate not followed by a low surrogate escape"#)
        expectRejected(#""ok\udbff""#, at: 3, #"\udbff is a high surrogate not followed by a low surrogate escape"#)
        expectRejected(#""\uDC00""#, at: 1, #"\uDC00 is a low surrogate without a high surrogate before it"#)
        expectRejected(#""\udfff""#, at: 1, #"\udfff is a low surrogate without a high surrogate before it"#)
        expectRejected(#""\uDE00\uD83D""#, at: 1, #"\uDE00 is a low surrogate without a high surrogate before it"#)
        expectRejected(#""a\u00e9\uD800""#, at: 8, #"\uD800 is a high surrogate not followed by a low surrogate escape"#)
        expectRejected(#""\uD800\u0041""#, at: 1, #"\uD800 is a high surrogate followed by \u0041, not a low surrogate"#)
        expectRejected(#""\uD83D\uD83D""#, at: 1, #"\uD83D is a high surrogate followed by \uD83D, not a low surrogate"#)
    }

    // MARK: - UTF-8

    @Test("invalid UTF-8 anywhere is rejected at the byte where the bad sequence starts")
    func invalidUTF8() {
        let q: UInt8 = 0x22
        // Overlong encodings.
        expectRejected([q, 0xC0, 0xAF, q], at: 1, "invalid UTF-8 (overlong encoding)")
        expectRejected([q, 0xC1, 0xBF, q], at: 1, "invalid UTF-8 (overlong encoding)")
        expectRejected([q, 0xE0, 0x80, 0xAF, q], at: 1, "invalid UTF-8 (overlong encoding)")
        expectRejected([q, 0xE0, 0x9F, 0xBF, q], at: 1, "invalid UTF-8 (overlong encoding)")
        expectRejected([q, 0xF0, 0x80, 0x80, 0xAF, q], at: 1, "invalid UTF-8 (overlong encoding)")
        expectRejected([q, 0xF0, 0x8F, 0xBF, 0xBF, q], at: 1, "invalid UTF-8 (overlong encoding)")
        // Surrogates encoded directly.
        expectRejected([q, 0xED, 0xA0, 0x80, q], at: 1, "invalid UTF-8 (encoded surrogate)")
        expectRejected([q, 0xED, 0xBF, 0xBF, q], at: 1, "invalid UTF-8 (encoded surrogate)")
        expectRejected([q, 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80, q], at: 1, "invalid UTF-8 (encoded surrogate)")
        // Beyond U+10FFFF.
        expectRejected([q, 0xF4, 0x90, 0x80, 0x80, q], at: 1, "invalid UTF-8 (code point above U+10FFFF)")
        expectRejected([q, 0xF5, 0x80, 0x80, 0x80, q], at: 1, "invalid UTF-8 (code point above U+10FFFF)")
        expectRejected([q, 0xF7, 0xBF, 0xBF, 0xBF, q], at: 1, "invalid UTF-8 (code point above U+10FFFF)")
        // Bytes that never occur.
        expectRejected([q, 0xF8, 0x88, 0x80, 0x80, 0x80, q], at: 1, "invalid UTF-8 (byte 0xF8 never occurs in UTF-8)")
        expectRejected([q, 0xFE, q], at: 1, "invalid UTF-8 (byte 0xFE never occurs in UTF-8)")
        expectRejected([q, 0xFF, q], at: 1, "invalid UTF-8 (byte 0xFF never occurs in UTF-8)")
        // Continuation bytes without a lead.
        expectRejected([q, 0x80, q], at: 1, "invalid UTF-8 (continuation byte 0x80 without a lead byte)")
        expectRejected([q, 0xBF, q], at: 1, "invalid UTF-8 (continuation byte 0xBF without a lead byte)")
        expectRejected([q, 0xC3, 0xA9, 0xA9, q], at: 3, "invalid UTF-8 (continuation byte 0xA9 without a lead byte)")
        // Truncated sequences.
        expectRejected([q, 0xE2, 0x82, q], at: 1, "invalid UTF-8 (truncated sequence)")
        expectRejected([q, 0xE2, 0x82], at: 1, "invalid UTF-8 (truncated sequence)")
        expectRejected([q, 0xC3], at: 1, "invalid UTF-8 (truncated sequence)")
        expectRejected([q, 0xF0, 0x9F, 0x98], at: 1, "invalid UTF-8 (truncated sequence)")
        expectRejected([q, 0xF0, 0x9F, 0x98, q], at: 1, "invalid UTF-8 (truncated sequence)")
        expectRejected([q, 0xC3, 0x41, q], at: 1, "invalid UTF-8 (truncated sequence)")
        expectRejected([q, 0xE0, 0x41, q], at: 1, "invalid UTF-8 (truncated sequence)")
        // Outside strings, in keys, after multi-byte characters and after escapes.
        expectRejected([0xFF], at: 0, "invalid UTF-8 (byte 0xFF never occurs in UTF-8)")
        expectRejected([0xEF, 0xBB], at: 0, "invalid UTF-8 (truncated sequence)")
        expectRejected([0x5B, 0xFF, 0x5D], at: 1, "invalid UTF-8 (byte 0xFF never occurs in UTF-8)")
        expectRejected([0x31, 0x20, 0xC0, 0x80], at: 2, "invalid UTF-8 (overlong encoding)")
        expectRejected(Array(#"{"a":1"#.utf8) + [0xED, 0xA0, 0x80, 0x7D], at: 6, "invalid UTF-8 (encoded surrogate)")
        expectRejected([0x7B, q, 0xC3, 0x28, q, 0x3A, 0x31, 0x7D], at: 2, "invalid UTF-8 (truncated sequence)")
        expectRejected(Array("\"é😀".utf8) + [0xFF, q], at: 7, "invalid UTF-8 (byte 0xFF never occurs in UTF-8)")
        expectRejected(Array(#""\n"#.utf8) + [0xC0, 0x80, q], at: 3, "invalid UTF-8 (overlong encoding)")
        expectRejected(Array(#"["ok",1,"é"]"#.utf8) + [0x80], at: 13, "invalid UTF-8 (continuation byte 0x80 without a lead byte)")
    }

    @Test("a quoted byte string parses exactly when it is valid UTF-8, and fails where it stops being valid")
    func utf8AgreesWithTheStandardLibrary() {
        // Bytes chosen to hit every branch of the decoder; no quotes, backslashes or control bytes.
        let alphabet: [UInt8] = [0x41, 0x7E, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFF]
        var random = FuzzRandom(seed: 0x5EED_0001)
        for _ in 0..<4_000 {
            let length = Int.random(in: 0...10, using: &random)
            let content = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            let document = [0x22] + content + [0x22]
            let result = parsed(document)
            if let text = String(validating: content, as: UTF8.self) {
                #expect(result.value == .string(text), "\(content)")
            } else {
                // The bad sequence starts right after the longest valid prefix.
                let validPrefix = (0...content.count).last { String(validating: content[..<$0], as: UTF8.self) != nil } ?? 0
                #expect(result.failure?.offset == 1 + validPrefix, "\(content): \(String(describing: result.failure))")
                #expect(result.failure?.reason.hasPrefix("invalid UTF-8 (") == true, "\(content)")
            }
        }
    }

    // MARK: - Objects

    @Test("a repeated key is rejected at the repeat, naming the key")
    func duplicateKeys() {
        expectRejected(#"{"goal":1,"goal":2}"#, at: 10, #"duplicate key "goal""#)
        expectRejected(#"{"a":1,"\u0061":2}"#, at: 7, #"duplicate key "a""#)
        expectRejected(#"{"a\"b":1,"a\"b":2}"#, at: 10, #"duplicate key "a\"b""#)
        expectRejected(#"{"":1,"":2}"#, at: 6, #"duplicate key """#)
        expectRejected(#"{"a":1,"b":2,"a":{}}"#, at: 13, #"duplicate key "a""#)
        // Keys compare as Swift strings: canonically equivalent spellings are the same key.
        expectRejected("{\"é\":1,\"e\u{301}\":2}", at: 8, "duplicate key \"e\u{301}\"")
        // Many keys: the check switches to a set and still finds the repeat.
        var text = "{"
        for index in 0..<40 { text += "\"k\(index)\":\(index)," }
        let repeatOffset = text.utf8.count
        text += #""k5":0}"#
        expectRejected(text, at: repeatOffset, #"duplicate key "k5""#)
        // The same key in different objects is fine.
        expectParses(
            #"{"a":{"a":{"a":1}},"b":{"a":2},"c":[{"a":3},{"a":4}]}"#,
            object(["a": object(["a": object(["a": .number(1)])]), "b": object(["a": .number(2)]),
                    "c": .array([object(["a": .number(3)]), object(["a": .number(4)])])])
        )
    }

    @Test("objects with many distinct keys parse")
    func manyKeys() throws {
        var text = "{"
        for index in 0..<2_000 { text += (index == 0 ? "" : ",") + "\"key\(index)\":\(index)" }
        text += "}"
        guard case .object(let object) = try JSONParser.parse(text) else {
            Issue.record("not an object")
            return
        }
        #expect(object.count == 2_000)
        #expect(object["key1999"] == .number(1999))
        #expect(object.keys.first == "key0")
    }

    @Test("each misplaced token in an object names what was expected there")
    func objectErrors() {
        expectRejected("{", at: 1, "expected a string key or '}' after '{', found end of input")
        expectRejected("{1:2}", at: 1, "expected a string key or '}' after '{', found '1'")
        expectRejected("{a:1}", at: 1, "expected a string key or '}' after '{', found 'a'")
        expectRejected("{'a':1}", at: 1, "expected a string key or '}' after '{', found '''")
        expectRejected(#"{"a" 1}"#, at: 5, "expected ':' after object key, found '1'")
        expectRejected(#"{"a""#, at: 4, "expected ':' after object key, found end of input")
        expectRejected(#"{"a"=1}"#, at: 4, "expected ':' after object key, found '='")
        expectRejected(#"{"a":}"#, at: 5, "expected a value after ':', found '}'")
        expectRejected(#"{"a":"#, at: 5, "expected a value after ':', found end of input")
        expectRejected(#"{"a"::1}"#, at: 5, "expected a value after ':', found ':'")
        expectRejected(#"{"a":1 x}"#, at: 7, "expected ',' or '}' after an object member, found 'x'")
        expectRejected(#"{"a":1"#, at: 6, "expected ',' or '}' after an object member, found end of input")
        expectRejected(#"{"a":1]"#, at: 6, "expected ',' or '}' after an object member, found ']'")
        expectRejected(#"{"a":1,}"#, at: 7, "expected a string key after ',' in an object, found '}'")
        expectRejected(#"{"a":1,,}"#, at: 7, "expected a string key after ',' in an object, found ','")
        expectRejected(#"{"a":1,2:3}"#, at: 7, "expected a string key after ',' in an object, found '2'")
        expectRejected(#"{"a":1,"#, at: 7, "expected a string key after ',' in an object, found end of input")
    }

    // MARK: - Arrays

    @Test("each misplaced token in an array names what was expected there")
    func arrayErrors() {
        expectRejected("[", at: 1, "expected a value or ']' after '[', found end of input")
        expectRejected("[,1]", at: 1, "expected a value or ']' after '[', found ','")
        expectRejected("[1,]", at: 3, "expected a value after ',' in an array, found ']'")
        expectRejected("[1,", at: 3, "expected a value after ',' in an array, found end of input")
        expectRejected("[1 2]", at: 3, "expected ',' or ']' after an array element, found '2'")
        expectRejected("[1}", at: 2, "expected ',' or ']' after an array element, found '}'")
        expectRejected("[1", at: 2, "expected ',' or ']' after an array element, found end of input")
        expectRejected("[[]", at: 3, "expected ',' or ']' after an array element, found end of input")
        expectRejected(#"["a" "b"]"#, at: 5, #"expected ',' or ']' after an array element, found '"'"#)
        expectRejected(#"[{"a":1]]"#, at: 7, "expected ',' or '}' after an object member, found ']'")
    }

    // MARK: - Depth

    @Test("64 levels of nesting parse by default and 65 do not")
    func defaultDepth() throws {
        var value = try JSONParser.parse(nested(64))
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            guard let first = elements.first else { break }
            value = first
        }
        #expect(depth == 64)
        expectRejected(nested(65), at: 64, "nesting deeper than the maximum depth of 64")
        // Objects count too: the 65th '{' is at 64 × 5 bytes.
        let objects = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        expectRejected(objects, at: 320, "nesting deeper than the maximum depth of 64")
        let sixtyFour = String(repeating: #"{"a":"#, count: 64) + "[]" + String(repeating: "}", count: 64)
        expectRejected(sixtyFour, at: 320, "nesting deeper than the maximum depth of 64")
        #expect(parsed(String(repeating: #"{"a":"#, count: 64) + "1" + String(repeating: "}", count: 64)).value != nil)
    }

    @Test("100,000 open brackets are rejected quickly, without recursion, whatever the limit")
    func veryDeepNesting() {
        let deep = String(repeating: "[", count: 100_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            expectRejected(deep, at: 64, "nesting deeper than the maximum depth of 64")
        }
        #expect(elapsed < .seconds(1))
        // With no practical limit the parser still never recurses: it reaches the end of the input.
        expectRejected(deep, at: 100_000, "expected a value or ']' after '[', found end of input", maximumDepth: .max)
        expectRejected(String(repeating: #"{"k":["#, count: 50_000), at: 300_000,
                       "expected a value or ']' after '[', found end of input", maximumDepth: .max)
    }

    @Test("the depth limit can be raised, lowered or set to zero")
    func customDepth() {
        #expect(parsed(nested(1_000), maximumDepth: 1_000).value != nil)
        expectRejected(nested(1_001), at: 1_000, "nesting deeper than the maximum depth of 1000", maximumDepth: 1_000)
        #expect(parsed("1", maximumDepth: 0).value == .number(1))
        #expect(parsed(#""a""#, maximumDepth: 0).value == .string("a"))
        expectRejected("[]", at: 0, "nesting deeper than the maximum depth of 0", maximumDepth: 0)
        expectRejected("{}", at: 0, "nesting deeper than the maximum depth of 0", maximumDepth: -5)
        #expect(parsed("[[]]", maximumDepth: 2).value != nil)
        expectRejected("[[]]", at: 1, "nesting deeper than the maximum depth of 1", maximumDepth: 1)
        expectRejected(#"[{"a":[1]}]"#, at: 6, "nesting deeper than the maximum depth of 2", maximumDepth: 2)
    }

    // MARK: - Size

    @Test("large documents parse in time proportional to their size")
    func largeDocuments() throws {
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let numbers = "[" + (0..<100_000).map(String.init).joined(separator: ",") + "]"
            guard case .array(let elements) = try JSONParser.parse(numbers) else {
                Issue.record("not an array")
                return
            }
            #expect(elements.count == 100_000)
            #expect(elements.last == .number(99_999))

            let plain = String(repeating: "abcdefghé", count: 100_000)
            #expect(try JSONParser.parse("\"\(plain)\"") == .string(plain))

            let escaped = String(repeating: #"ab\n\u00e9\""#, count: 50_000)
            let expected = String(repeating: "ab\né\"", count: 50_000)
            #expect(try JSONParser.parse("\"\(escaped)\"") == .string(expected))

            var members = "{"
            for index in 0..<20_000 { members += (index == 0 ? "" : ",") + "\"\(index)\":[\(index)]" }
            members += "}"
            guard case .object(let object) = try JSONParser.parse(members) else {
                Issue.record("not an object")
                return
            }
            #expect(object.count == 20_000)
        }
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }

    // MARK: - Fuzzing

    @Test("random byte strings never crash the parser")
    func randomBytes() {
        let alphabet = Array(#"{}[],:"\ -+.eE0123456789tfnrulsauUd"#.utf8) + [0x00, 0x09, 0x0A, 0x7F, 0xC3, 0xA9, 0xED, 0xF0, 0xFF]
        var random = FuzzRandom(seed: 42)
        for round in 0..<6_000 {
            let length = Int.random(in: 0...48, using: &random)
            let bytes: [UInt8] = (0..<length).map { _ in
                Bool.random(using: &random)
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                    : UInt8.random(in: 0...255, using: &random)
            }
            checkParsesOrFailsCleanly(bytes, "round \(round)")
        }
    }

    @Test("mutated valid documents never crash the parser")
    func mutatedDocuments() {
        var random = FuzzRandom(seed: 7)
        let interesting = Array(#"{}[],:"\0.e-"#.utf8) + [0x00, 0x80, 0xC0, 0xED, 0xFF]
        for round in 0..<3_000 {
            var bytes = RandomJSON.value(depth: 4, using: &random).serializedBytes
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                guard !bytes.isEmpty else { break }
                let position = Int.random(in: 0..<bytes.count, using: &random)
                let byte = Bool.random(using: &random)
                    ? interesting[Int.random(in: 0..<interesting.count, using: &random)]
                    : UInt8.random(in: 0...255, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                case 2: bytes.remove(at: position)
                case 3: bytes.removeSubrange(position...)
                default: bytes.insert(contentsOf: bytes[position...].prefix(8), at: position)
                }
            }
            checkParsesOrFailsCleanly(bytes, "round \(round)")
        }
    }

    /// Parses `bytes`: a value must serialize and parse back to itself; an error must point inside
    /// the input.
    private func checkParsesOrFailsCleanly(_ bytes: [UInt8], _ label: String) {
        switch parsed(bytes) {
        case .success(let value):
            #expect(parsed(value.serializedBytes).value == value, "\(label): \(bytes)")
            #expect(String(validating: bytes, as: UTF8.self) != nil, "\(label): accepted invalid UTF-8 \(bytes)")
        case .failure(let error):
            #expect(error.offset >= 0 && error.offset <= bytes.count, "\(label): \(error) for \(bytes)")
            #expect(!error.reason.isEmpty)
        }
    }
}

extension Result {
    /// The success value, or `nil`.
    var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }

    /// The failure, or `nil`.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
