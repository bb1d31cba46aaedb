import EventLedger
import Testing
import FuzzSupport

/// Random JSON values that exercise every case of the writer and the parser.
enum RandomJSON {
    /// A random value nested at most `depth` levels.
    static func value(depth: Int, using random: inout FuzzRandom) -> JSONValue {
        switch Int.random(in: 0..<(depth > 0 ? 8 : 5), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(number(using: &random))
        case 3, 4: return .string(string(using: &random))
        case 5: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth - 1, using: &random) })
        default:
            let members = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                JSONMember(key: string(using: &random), value: value(depth: depth - 1, using: &random))
            }
            return .object(JSONObject(members))
        }
    }

    /// A random number: an Int64, a finite Double or a literal from the grammar.
    static func number(using random: inout FuzzRandom) -> JSONNumber {
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            return JSONNumber(Int64(bitPattern: random.next()) >> Int.random(in: 0...63, using: &random))
        case 1:
            let double = Double(bitPattern: random.next())
            return JSONNumber(double) ?? JSONNumber(0)
        default:
            var text = Bool.random(using: &random) ? "-" : ""
            if Bool.random(using: &random) {
                text += "0"
            } else {
                text += String(Int.random(in: 1...9, using: &random))
                text += digits(0...25, using: &random)
            }
            if Bool.random(using: &random) { text += "." + digits(1...6, using: &random) }
            if Bool.random(using: &random) {
                text += ["e", "E"][Int.random(in: 0...1, using: &random)]
                text += ["", "+", "-"][Int.random(in: 0...2, using: &random)]
                text += digits(1...4, using: &random)
            }
            return JSONNumber(text: text) ?? JSONNumber(0)
        }
    }

    private static func digits(_ count: ClosedRange<Int>, using random: inout FuzzRandom) -> String {
        String((0..<Int.random(in: count, using: &random)).map { _ in
            Character(Unicode.Scalar(UInt8.random(in: 0x30...0x39, using: &random)))
        })
    }

    /// A random string mixing ASCII, control characters, characters that need escaping, combining
    /// marks, other BMP characters and astral characters.
    static func string(using random: inout FuzzRandom) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...10, using: &random) {
            let value: UInt32
            switch Int.random(in: 0..<8, using: &random) {
            case 0: value = UInt32.random(in: 0x20...0x7E, using: &random)
            case 1: value = UInt32.random(in: 0x00..<0x20, using: &random)
            case 2: value = [0x22, 0x5C, 0x2F, 0x7F, 0x301, 0xFEFF, 0x2028, 0xFFFF][Int.random(in: 0..<8, using: &random)]
            case 3: value = UInt32.random(in: 0x80...0x7FF, using: &random)
            case 4: value = UInt32.random(in: 0x800...0xFFFF, using: &random)
            case 5: value = UInt32.random(in: 0x10000...0x10FFFF, using: &random)
            default: value = UInt32.random(in: 0x61...0x7A, using: &random)
            }
            scalars.append(Unicode.Scalar(value) ?? "?")
        }
        return String(scalars)
    }
}

private func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue { .object(JSONObject(pairs)) }

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("values serialize compactly with members in their stored order")
    func compactOutput() throws {
        #expect(JSONValue.null.serialized == "null")
        #expect(JSONValue.bool(true).serialized == "true")
        #expect(JSONValue.bool(false).serialized == "false")
        #expect(JSONValue.number(-42).serialized == "-42")
        #expect(JSONValue.number(Int64.min).serialized == "-9223372036854775808")
        #expect(JSONValue.number(0.5).serialized == "0.5")
        #expect(JSONValue.number(try #require(JSONNumber(text: "1.50E+03"))).serialized == "1.50E+03")
        #expect(JSONValue.string("hi").serialized == #""hi""#)
        #expect(JSONValue.array([]).serialized == "[]")
        #expect(object([:]).serialized == "{}")
        let value = object([
            "z": .number(1),
            "a": .array([.null, .bool(true), .array([]), object([:])]),
            "m": object(["k": .string("v")]),
        ])
        #expect(value.serialized == #"{"z":1,"a":[null,true,[],{}],"m":{"k":"v"}}"#)
        #expect(value.serializedBytes == Array(value.serialized.utf8))
    }

    @Test("a non-finite Double becomes null")
    func nonFinite() {
        #expect(JSONValue.number(Double.nan) == .null)
        #expect(JSONValue.number(Double.infinity) == .null)
        #expect(JSONValue.number(-Double.infinity) == .null)
        var writer = JSONWriter()
        writer.beginArray()
        writer.writeNumber(Double.nan)
        writer.writeNumber(2.5)
        writer.endArray()
        #expect(writer.string == "[null,2.5]")
    }

    @Test("quotes, backslashes and control characters are escaped; everything else is written as UTF-8")
    func escaping() {
        let cases: [(String, String)] = [
            ("\"", #""\"""#),
            ("\\", #""\\""#),
            ("/", #""/""#),
            ("\n", #""\n""#),
            ("\r", #""\r""#),
            ("\t", #""\t""#),
            ("\u{8}", #""\b""#),
            ("\u{C}", #""\f""#),
            ("\u{0}", #""\u0000""#),
            ("\u{1}", #""\u0001""#),
            ("\u{1B}", #""\u001b""#),
            ("\u{1F}", #""\u001f""#),
            ("\u{7F}", "\"\u{7F}\""),
            ("é😀\u{2028}\u{FEFF}", "\"é😀\u{2028}\u{FEFF}\""),
            ("a\"b\\c\nd", #""a\"b\\c\nd""#),
            ("", #""""#),
        ]
        for (string, expected) in cases {
            #expect(JSONValue.string(string).serialized == expected, "\(string.debugDescription)")
        }
        // Every ASCII character round-trips alone and inside text.
        for value in 0..<0x80 {
            let string = "x" + String(Character(Unicode.Scalar(UInt8(value)))) + "y"
            #expect(parsedBack(.string(string)) == .string(string), "U+\(String(value, radix: 16))")
        }
    }

    @Test("keys are escaped like strings")
    func escapedKeys() {
        let value = object(["a\"\n": .number(1), "é": .null])
        #expect(value.serialized == "{\"a\\\"\\n\":1,\"é\":null}")
        #expect(parsedBack(value) == value)
    }

    @Test("objects, arrays and scalars can be written field by field, with commas put in")
    func streaming() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("type")
        writer.writeString("GoalSet")
        writer.key("version")
        writer.writeNumber(1)
        writer.key("score")
        writer.writeNumber(0.25)
        writer.key("exact")
        writer.writeNumber(JSONNumber(Int64.max))
        writer.key("tags")
        writer.beginArray()
        writer.writeString("a")
        writer.beginObject()
        writer.endObject()
        writer.beginArray()
        writer.writeNull()
        writer.endArray()
        writer.writeBool(false)
        writer.endArray()
        writer.key("payload")
        writer.write(object(["x": .array([.number(1), .number(2)])]))
        writer.key("ok")
        writer.writeBool(true)
        writer.endObject()
        let expected = #"{"type":"GoalSet","version":1,"score":0.25,"exact":9223372036854775807,"tags":["a",{},[null],false],"payload":{"x":[1,2]},"ok":true}"#
        #expect(writer.string == expected)
        #expect(writer.bytes == Array(expected.utf8))
        #expect(try JSONParser.parse(writer.bytes).serialized == expected)
    }

    @Test("newlines separate documents for NDJSON, and reset empties the writer")
    func lines() throws {
        var writer = JSONWriter()
        for index in 0..<3 {
            writer.beginObject()
            writer.key("n")
            writer.writeNumber(index)
            writer.endObject()
            writer.writeNewline()
        }
        writer.writeString("last")
        #expect(writer.string == "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n\"last\"")
        for line in writer.string.split(separator: "\n") {
            _ = try JSONParser.parse(String(line))
        }
        writer.reset()
        #expect(writer.bytes.isEmpty)
        writer.writeNumber(7)
        writer.writeNewline()
        writer.writeNumber(8)
        #expect(writer.string == "7\n8")
    }

    @Test("objects keep the first of repeated keys, look up by key and list keys in order")
    func objects() {
        let members = [
            JSONMember(key: "b", value: .number(1)),
            JSONMember(key: "a", value: .number(2)),
            JSONMember(key: "b", value: .number(3)),
        ]
        let object = JSONObject(members)
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == .number(1))
        #expect(object["a"] == .number(2))
        #expect(object["c"] == nil)
        #expect(object.members.count == 2)
        #expect(JSONObject(["b": .number(1), "a": .number(2), "b": .null]) == object)
        #expect(JSONObject.empty.isEmpty)
        // Many members take the set path for removing repeats.
        let many = (0..<100).map { JSONMember(key: "k\($0 % 40)", value: .number($0)) }
        let deduplicated = JSONObject(many)
        #expect(deduplicated.count == 40)
        #expect(deduplicated["k5"] == .number(5))
        #expect(deduplicated.keys == (0..<40).map { "k\($0)" })
    }

    @Test("each case names its type with an article, for error messages")
    func typeNames() {
        let values: [JSONValue] = [.null, .bool(true), .number(1), .string(""), .array([]), object([:])]
        #expect(values.map(\.typeName) == ["null", "a boolean", "a number", "a string", "an array", "an object"])
    }

    @Test("random values serialize to text that parses back to an equal value")
    func roundTrip() throws {
        var random = FuzzRandom(seed: 2026)
        for round in 0..<4_000 {
            let value = RandomJSON.value(depth: 6, using: &random)
            let text = value.serialized
            let back = try JSONParser.parse(text)
            #expect(back == value, "round \(round): \(text)")
            #expect(back.serialized == text, "round \(round)")
            #expect(value.serializedBytes == Array(text.utf8))
        }
    }

    @Test("a value as deep as the parser allows round-trips")
    func deepRoundTrip() throws {
        var value = JSONValue.string("bottom")
        for level in 0..<JSONParser.defaultMaximumDepth {
            value = level.isMultiple(of: 2) ? .array([value, .number(level)]) : object(["l": value])
        }
        #expect(try JSONParser.parse(value.serialized) == value)
    }

    private func parsedBack(_ value: JSONValue) -> JSONValue? {
        try? JSONParser.parse(value.serialized)
    }
}
