import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// A doctored export — one readable field changed, its canonical bytes left alone — is refused by
/// all three readers an auditor or a program has: `Scripts/verify_export.py`, `ledger
/// verify-export` and `ledger import`, each naming the line, the position and the field. Every
/// member of `data` of the first line of each of the 18 built-in types is doctored in turn, then
/// every envelope field, the type, the stream and the chain, in NDJSON and in CSV.
@Suite("doctored exports are refused, naming the line and the field")
struct ExportDoctoringTests {
    /// One change to one line: what it does and the field every reader must name.
    struct Doctoring: CustomStringConvertible {
        let name: String
        /// The index of the doctored line among the export's lines (0 is the first event).
        let index: Int
        /// The position the readers name (the line's, unless the change is a move).
        let position: UInt64
        let field: String
        let apply: @Sendable ([JSONObject]) -> [JSONObject]

        var description: String { "\(name) (line \(index + 1), field \(field))" }
    }

    @Test("every readable field doctored in turn is refused by the script, verify-export and import", arguments: ["ndjson", "csv"])
    func everyFieldRefused(_ format: String) throws {
        let fixture = try ToolFixture("doctor")
        let admins = try fixture.simulate("a", mentorships: 30, months: 3, seed: 1)
        let export = fixture.path("a.ndjson")
        try fixture.succeed(["export", fixture.path("a"), "-o", export])
        let objects = try ToolFixture.lines(try String(contentsOfFile: export, encoding: .utf8)).map(ToolFixture.object)
        let doctorings = try Self.doctorings(of: objects)
        let types = Set(doctorings.compactMap { $0.name.split(separator: " ").first.map(String.init) })
        #expect(AccountabilityEvent.typeNames.allSatisfy(types.contains), "the program has every built-in type: \(types.sorted())")

        // The untouched export, written back by the same writer the doctored ones use, passes
        // all three and imports whole.
        let untouched = fixture.path("untouched.\(format)")
        try Self.write(objects, format: format, to: untouched)
        if format == "csv" {
            let exported = try fixture.succeed(["export", fixture.path("a"), "--format", "csv"]).output
            #expect(try String(contentsOfFile: untouched, encoding: .utf8) == exported, "the test's CSV writer is the exporter's")
        }
        let script = try PythonScript.run([untouched])
        #expect(script.status == 0, "\(script.output)")
        #expect(try fixture.run(["verify-export", untouched]).status == 0)
        try fixture.succeed(["import", fixture.path("whole"), untouched, "--admins-file", admins])
        #expect(try fixture.eventCount("whole") == Int64(objects.count))

        var refused = 0
        for doctoring in doctorings {
            // The lines after the doctored one change nothing: every reader stops at it.
            let lines = Array(doctoring.apply(objects).prefix(doctoring.index + 3))
            let file = fixture.path("doctored.\(format)")
            try Self.write(lines, format: format, to: file)
            let line = doctoring.index + (format == "csv" ? 2 : 1)
            let place = "line \(line), position \(doctoring.position), field \(doctoring.field):"

            let script = try PythonScript.run([file])
            #expect(script.status == 1, "script accepted \(doctoring)")
            #expect(script.output.contains("FAULT at \(place)"), "script, \(doctoring): \(script.output)")

            let verified = try fixture.run(["verify-export", file])
            #expect(verified.status == 2, "verify-export accepted \(doctoring)")
            #expect(verified.output.contains("FAULT at \(place)"), "verify-export, \(doctoring): \(verified.output)")

            let target = fixture.path("imported")
            let imported = try fixture.run(["import", target, file, "--admins-file", admins])
            #expect(imported.status == 1, "import accepted \(doctoring)")
            #expect(imported.error.contains("line \(line): position \(doctoring.position), \(doctoring.field): "), "import, \(doctoring): \(imported.error)")
            #expect(!FileManager.default.fileExists(atPath: target), "import wrote something for \(doctoring)")
            if script.status == 1 && verified.status == 2 && imported.status == 1 { refused += 1 }
        }
        #expect(refused == doctorings.count)
        #expect(doctorings.count > 60, "\(doctorings.count) doctorings")
    }

    // MARK: - The doctorings

    /// Every leaf member of `data` of the first line of each type, then the envelope, type,
    /// stream and chain of a later `SessionHeld` line whose type and stream earlier lines bound.
    static func doctorings(of objects: [JSONObject]) throws -> [Doctoring] {
        var result: [Doctoring] = []
        var seen = Set<String>()
        for (index, object) in objects.enumerated() {
            guard case .string(let type)? = object["type"], !seen.contains(type) else { continue }
            seen.insert(type)
            guard case .object(let data)? = object["data"] else { throw ToolFixtureError("line \(index + 1) has no data") }
            let position = UInt64(index + 1)
            let paths = leaves(of: data, path: ["data"])
            if paths.isEmpty {
                result.append(Doctoring(name: "\(type) gains a member", index: index, position: position, field: "data.doctored") { lines in
                    edit(lines, index) { $0.setting(["data", "doctored"], to: .bool(true)) }
                })
            }
            for path in paths {
                let value = object.value(at: path)
                result.append(Doctoring(name: "\(type) \(path.joined(separator: "."))", index: index, position: position, field: path.joined(separator: ".")) { lines in
                    edit(lines, index) { $0.setting(path, to: changed(value)) }
                })
            }
        }

        let held = objects.indices.filter { objects[$0]["type"] == .string("SessionHeld") }
        guard held.count > 3, case .string(let stream)? = objects[held[2]]["stream"] else { throw ToolFixtureError("too few sessions held") }
        let index = held[2]
        let position = UInt64(index + 1)
        guard let other = objects[..<index].first(where: { $0["stream"] != .string(stream) })?["stream"] else { throw ToolFixtureError("one stream") }
        guard objects[..<index].contains(where: { $0["stream"] == .string(stream) }) else { throw ToolFixtureError("stream not bound") }
        let stranger = JSONValue.string(UUID().uuidString.lowercased())
        func envelope(_ name: String, _ field: String, _ change: @escaping @Sendable (JSONObject) -> JSONObject) -> Doctoring {
            Doctoring(name: "envelope \(name)", index: index, position: position, field: field) { edit($0, index, change) }
        }
        result += [
            envelope("type relabelled", "type") { $0.setting(["type"], to: .string("SessionMissed")) },
            envelope("stream of another mentorship", "stream") { $0.setting(["stream"], to: other) },
            envelope("actor replaced", "actor") { $0.setting(["actor"], to: stranger) },
            envelope("actor removed", "actor") { $0.removing("actor") },
            envelope("occurredAt a microsecond later", "occurredAt") { $0.setting(["occurredAt"], to: changed($0["occurredAt"])) },
            envelope("recordedAt an hour earlier", "recordedAt") { line in
                guard case .string(let text)? = line["recordedAt"], let time = try? Timestamp(rfc3339: text) else { return line }
                return line.setting(["recordedAt"], to: .string(time.adding(seconds: -3600).rfc3339))
            },
            envelope("id replaced", "id") { $0.setting(["id"], to: stranger) },
            envelope("id in uppercase (the same id, not as exported)", "id") { line in
                guard case .string(let text)? = line["id"] else { return line }
                return line.setting(["id"], to: .string(text.uppercased()))
            },
            envelope("occurredAt as another text of the same time", "occurredAt") { line in
                guard case .string(let text)? = line["occurredAt"] else { return line }
                return line.setting(["occurredAt"], to: .string(text.replacingOccurrences(of: "Z", with: "+00:00")))
            },
            envelope("data's session id in uppercase", "data.session") { line in
                guard case .string(let text)? = line.value(at: ["data", "session"]) else { return line }
                return line.setting(["data", "session"], to: .string(text.uppercased()))
            },
            envelope("data gains a null optional", "data.doctored") { $0.setting(["data", "doctored"], to: .null) },
            envelope("revision", "revision") { $0.setting(["revision"], to: changed($0["revision"])) },
            envelope("schemaVersion", "schemaVersion") { $0.setting(["schemaVersion"], to: changed($0["schemaVersion"])) },
            envelope("correlationID added", "correlationID") { $0.setting(["correlationID"], to: stranger) },
            envelope("causationID added", "causationID") { $0.setting(["causationID"], to: stranger) },
            Doctoring(name: "envelope position", index: index, position: position + 1, field: "position") { edit($0, index) { $0.setting(["position"], to: changed($0["position"])) } },
            envelope("previousHash", "previousHash") { $0.setting(["previousHash"], to: .string(String(repeating: "ab", count: 32))) },
            envelope("chainHash", "chainHash") { $0.setting(["chainHash"], to: .string(String(repeating: "cd", count: 32))) },
            envelope("canonical byte", "chainHash") { line in
                guard case .string(let hex)? = line["canonical"] else { return line }
                var digits = Array(hex)
                digits[digits.count - 1] = digits[digits.count - 1] == "0" ? "1" : "0"
                return line.setting(["canonical"], to: .string(String(digits)))
            },
            Doctoring(name: "envelope line dropped", index: index, position: position + 1, field: "position") { lines in
                var lines = lines
                lines.remove(at: index)
                return lines
            },
            Doctoring(name: "envelope lines swapped", index: index, position: position + 1, field: "position") { lines in
                var lines = lines
                lines.swapAt(index, index + 1)
                return lines
            },
        ]
        return result
    }

    /// The paths of the leaves of `object` (arrays count as leaves).
    static func leaves(of object: JSONObject, path: [String]) -> [[String]] {
        object.members.flatMap { member -> [[String]] in
            if case .object(let nested) = member.value, !nested.members.isEmpty {
                return leaves(of: nested, path: path + [member.key])
            }
            return [path + [member.key]]
        }
    }

    /// A value that differs from `value` but is still of its kind: a number one larger (or a
    /// half larger), another id, a time a microsecond later, text with a word added, the other
    /// boolean, an array one element shorter or longer.
    static func changed(_ value: JSONValue?) -> JSONValue {
        switch value {
        case .number(let number)?:
            if let integer = number.int64, number.isInteger { return .number(JSONNumber(integer + 1)) }
            return .number(JSONNumber((number.double ?? 0) + 0.5) ?? JSONNumber(1))
        case .string(let text)?:
            if UUID(uuidString: text) != nil { return .string(UUID().uuidString.lowercased()) }
            if let time = try? Timestamp(rfc3339: text) {
                return .string(Timestamp(microsecondsSinceEpoch: time.microsecondsSinceEpoch + 1).rfc3339)
            }
            return .string(text + " (edited)")
        case .bool(let flag)?: return .bool(!flag)
        case .array(let elements)?:
            return elements.isEmpty ? .array([.string(UUID().uuidString.lowercased())]) : .array(Array(elements.dropLast()))
        case .object?, .null?, nil: return .string("doctored")
        }
    }

    static func edit(_ lines: [JSONObject], _ index: Int, _ change: (JSONObject) -> JSONObject) -> [JSONObject] {
        var lines = lines
        lines[index] = change(lines[index])
        return lines
    }

    // MARK: - Writing

    /// Writes `lines` as NDJSON, or as CSV with the exporter's header, one CRLF record each.
    static func write(_ lines: [JSONObject], format: String, to path: String) throws {
        var text = ""
        if format == "csv" {
            text = InterchangeExporter.columns.joined(separator: ",") + "\r\n"
            for line in lines {
                let cells = InterchangeExporter.columns.map { column -> String in
                    // A user's type shows `payload` in the `data` column's place.
                    let value = column == "data" ? (line["data"] ?? line["payload"]) : line[column]
                    switch value {
                    case .string(let string)?: return CSVField.escape(string)
                    case .number(let number)?: return number.text
                    case let other?: return CSVField.escape(other.serialized)
                    case nil: return ""
                    }
                }
                text += cells.joined(separator: ",") + "\r\n"
            }
        } else {
            text = lines.map { JSONValue.object($0).serialized + "\n" }.joined()
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

extension JSONObject {
    /// The value at `path` (`["data", "metric", "target"]`).
    func value(at path: [String]) -> JSONValue? {
        guard let first = path.first else { return .object(self) }
        guard path.count > 1 else { return self[first] }
        guard case .object(let nested)? = self[first] else { return nil }
        return nested.value(at: Array(path.dropFirst()))
    }

    /// A copy with the member at `path` set to `value` (replaced in place, or added at the end).
    func setting(_ path: [String], to value: JSONValue) -> JSONObject {
        guard let first = path.first else { return self }
        var replacement = value
        if path.count > 1 {
            let nested: JSONObject = if case .object(let object)? = self[first] { object } else { JSONObject([]) }
            replacement = .object(nested.setting(Array(path.dropFirst()), to: value))
        }
        var members = members
        if let at = members.firstIndex(where: { $0.key == first }) {
            members[at] = JSONMember(key: first, value: replacement)
        } else {
            members.append(JSONMember(key: first, value: replacement))
        }
        return JSONObject(members)
    }

    /// A copy without the member `key`.
    func removing(_ key: String) -> JSONObject {
        JSONObject(members.filter { $0.key != key })
    }
}
