import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("ledger replay")
struct ReplayCommandTests {
    static let models = ["progress", "engagement", "commitment", "health", "nudges"]

    @Test("each model prints the same rows as a table, as CSV and as JSON", arguments: models)
    func threeFormats(_ model: String) throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a")
        let json = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), model, "--format", "json"]).output)
        let csv = ToolFixture.lines(try fixture.succeed(["replay", fixture.path("a"), model, "--format", "csv"]).output)
        let table = ToolFixture.lines(try fixture.succeed(["replay", fixture.path("a"), model]).output)

        guard case .array(let rows)? = json["rows"] else {
            Issue.record("no rows in \(json.keys)")
            return
        }
        #expect(!rows.isEmpty)
        #expect(json["model"] == .string(model))
        #expect(json["position"] == .number(JSONNumber(Int64(try fixture.eventCount("a")))))
        #expect(csv.count == rows.count + 1, "a header and one line per row")
        #expect(table.count == rows.count + 3, "a title, a header, a rule and one line per row")
        let header = csv[0].split(separator: ",").map(String.init)
        guard case .object(let first) = rows[0] else {
            Issue.record("a row is not an object")
            return
        }
        #expect(first.keys == header, "the JSON fields are the CSV columns, in order")
        #expect(table[1].split(separator: " ").map(String.init) == header)
        // The first row's first field, in all three.
        let firstID: String = if case .string(let id)? = first[header[0]] { id } else { "" }
        #expect(csv[1].hasPrefix(firstID))
        #expect(table[3].hasPrefix(firstID))

        // The documented columns are the printed ones.
        let columns = try fixture.succeed(["columns", model]).output
        let documentation = try String(contentsOf: Self.packageRoot.appendingPathComponent("Docs/CLI.md"), encoding: .utf8)
        #expect(documentation.contains(columns.trimmingCharacters(in: .newlines)), "Docs/CLI.md does not hold `ledger columns \(model)`")
        for name in header { #expect(columns.contains("| `\(name)` |")) }
    }

    @Test("time travel: --position N folds positions 1 to N; --as-of T is the report as it was at T")
    func timeTravel() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a")
        let count = try fixture.eventCount("a")
        let middle = count / 2
        let atPosition = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), "progress", "--position", String(middle), "--format", "json"]).output)
        #expect(atPosition["position"] == .number(JSONNumber(middle)))
        #expect(atPosition["eventsApplied"] == .number(JSONNumber(middle)))

        // The same report from the library, folded through the same position.
        var options = LedgerOptions()
        options.readOnly = true
        let ledger = try Ledger(directory: fixture.directory.child("a"), registry: try .accountability(), options: options)
        defer { ledger.close() }
        let (state, recordedAt) = try ledger.read { reader in
            (try reader.replay(ProgressProjection(), EventQuery.all().through(position: UInt64(middle))).state,
             try reader.event(at: UInt64(middle))?.recordedAt)
        }
        let time = try #require(recordedAt)
        let report = state.report(asOf: time)
        #expect(atPosition["asOf"] == .string(time.rfc3339))
        guard case .array(let rows)? = atPosition["rows"] else { throw ToolFixtureError("no rows") }
        #expect(rows.count == report.goals.count)
        let printed = rows.compactMap { row -> String? in
            if case .object(let object) = row, case .string(let goal)? = object["goal"], case .string(let status)? = object["status"] { return goal + status }
            return nil
        }
        #expect(printed == report.goals.map { $0.goal.uuidString.lowercased() + $0.status.rawValue })

        // --as-of the time position `middle` was recorded: every event of that day, evaluated then.
        let asOf = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), "progress", "--as-of", time.rfc3339, "--format", "json"]).output)
        let known = try ledger.read { try $0.lastPosition(recordedAtOrBefore: time) }
        #expect(asOf["position"] == .number(JSONNumber(Int64(known))))
        #expect(asOf["knownAt"] == .string(time.rfc3339))
        #expect(asOf["asOf"] == .string(time.rfc3339))
        let sameDay = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), "progress", "--position", String(known), "--at", time.rfc3339, "--format", "json"]).output)
        #expect(asOf["rows"] == sameDay["rows"])

        // Before the first event, nothing is known.
        let before = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), "health", "--as-of", "2025-01-01T00:00:00Z", "--format", "json"]).output)
        #expect(before["position"] == .number(JSONNumber(Int64(0))))
        #expect(before["rows"] == .array([]))
    }

    @Test("--mentorship and --participant keep only their rows")
    func filters() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a")
        let all = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), "engagement", "--format", "json"]).output)
        guard case .array(let rows)? = all["rows"], case .object(let first)? = rows.first,
              case .string(let mentorship)? = first["mentorship"], case .string(let mentee)? = first["mentee"] else {
            throw ToolFixtureError("no engagement rows")
        }
        let one = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), "engagement", "--mentorship", mentorship, "--format", "json"]).output)
        #expect(one["rows"] == .array([.object(first)]))
        #expect(one["filters"] == .object(JSONObject([JSONMember(key: "mentorship", value: .string(mentorship))])))

        let theirs = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), "nudges", "--participant", mentee, "--format", "json"]).output)
        let everyNudge = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), "nudges", "--format", "json"]).output)
        guard case .array(let kept)? = theirs["rows"], case .array(let every)? = everyNudge["rows"] else { throw ToolFixtureError("no nudge rows") }
        let expected = every.filter { if case .object(let row) = $0 { return row["mentorship"] == .string(mentorship) }; return false }
        #expect(kept == expected, "the mentee's only mentorship is the first one")
    }

    @Test("bad options get their own errors")
    func badOptions() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a", mentorships: 5, months: 1)
        let badTime = try fixture.run(["replay", fixture.path("a"), "health", "--as-of", "yesterday"])
        #expect(badTime.status == 64)
        #expect(badTime.error.contains("--as-of yesterday"))
        let both = try fixture.run(["replay", fixture.path("a"), "health", "--as-of", "2026-01-01T00:00:00Z", "--position", "3"])
        #expect(both.status == 64)
        let pastHead = try fixture.run(["replay", fixture.path("a"), "health", "--position", "999999"])
        #expect(pastHead.status == 1)
        #expect(pastHead.error.contains("--position 999999 is past the head"))
        let badModel = try fixture.run(["replay", fixture.path("a"), "happiness"])
        #expect(badModel.status == 64)
        let badID = try fixture.run(["replay", fixture.path("a"), "health", "--mentorship", "42"])
        #expect(badID.status == 64)
        #expect(badID.error.contains("--mentorship 42 is not a UUID"))
    }

    /// The package's root directory (this file is Tests/LedgerToolTests/ReplayCommandTests.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
