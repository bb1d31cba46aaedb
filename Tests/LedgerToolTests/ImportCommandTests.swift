import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("ledger import")
struct ImportCommandTests {
    @Test("an export of a simulated program imports into a new ledger: same events, same reports; a second import appends nothing")
    func generatedProgramRoundTrip() throws {
        let fixture = try ToolFixture()
        let admins = try fixture.simulate("a")
        let export = fixture.path("a.ndjson")
        try fixture.succeed(["export", fixture.path("a"), "--output", export])
        try fixture.succeed(["init", fixture.path("b")])
        let imported = try fixture.succeed(["import", fixture.path("b"), export, "--admins-file", admins])
        let count = try fixture.eventCount("a")
        #expect(count > 500)
        #expect(imported.output.contains("imported \(count) events at positions 1-\(count)"))
        #expect(imported.error.isEmpty, "no progress output when standard error is a pipe")
        #expect(try fixture.eventCount("b") == count)
        #expect(try fixture.succeed(["verify", fixture.path("b")]).output.hasPrefix("intact: \(count) events"))

        // The same reports, evaluated at the same time (the new ledger recorded everything now).
        for model in ["progress", "engagement", "commitment", "health", "nudges"] {
            let at = "2026-04-05T00:00:00Z"
            let a = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("a"), model, "--at", at, "--format", "json"]).output)
            let b = try ToolFixture.object(try fixture.succeed(["replay", fixture.path("b"), model, "--at", at, "--format", "json"]).output)
            #expect(a["rows"] == b["rows"], "\(model) differs after the round trip")
            #expect(a["eventsApplied"] == b["eventsApplied"])
        }

        let again = try fixture.succeed(["import", fixture.path("b"), export, "--admins-file", admins])
        #expect(again.output.contains("imported 0 events for 0 mentorships from \(count) lines; \(count) already stored"))
        #expect(try fixture.eventCount("b") == count)
    }

    @Test("standard input imports like a file")
    func standardInput() throws {
        let fixture = try ToolFixture()
        try fixture.succeed(["init", fixture.path("l")])
        let lines = MalformedInput.validPrefix.joined(separator: "\n") + "\n"
        let outcome = try fixture.succeed(["import", fixture.path("l"), "-"], input: Data(lines.utf8))
        #expect(outcome.output.contains("imported 2 events"))
        #expect(try fixture.eventCount("l") == 2)
    }

    @Test("without the program's admins, the first line an admin recorded is rejected by the rules, and nothing is written")
    func adminsAreNeeded() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a")
        let export = fixture.path("a.ndjson")
        try fixture.succeed(["export", fixture.path("a"), "-o", export])
        try fixture.succeed(["init", fixture.path("b")])
        let outcome = try fixture.run(["import", fixture.path("b"), export])
        #expect(outcome.status == 1)
        #expect(outcome.error.contains("actor:"), "\(outcome.error)")
        #expect(outcome.error.contains("is neither the mentor, the mentee nor an admin of the program (rule authorization"))
        #expect(outcome.error.contains("nothing from the file was written"))
        #expect(try fixture.eventCount("b") == 0)
    }

    @Test("each malformed line stops the import with its line number, field and reason, and nothing is written",
          arguments: MalformedInput.cases)
    func malformedLine(_ bad: MalformedInput) throws {
        let fixture = try ToolFixture()
        try fixture.succeed(["init", fixture.path("l")])
        var file = Data()
        for line in MalformedInput.validPrefix { file.append(Data((line + "\n").utf8)) }
        file.append(bad.line)
        file.append(Data("\n".utf8))
        file.append(Data((MalformedInput.validSuffix + "\n").utf8))
        let path = fixture.path("input.ndjson")
        try file.write(to: URL(fileURLWithPath: path))

        let outcome = try fixture.run(["import", fixture.path("l"), path])
        #expect(outcome.status == 1, "\(bad.name): \(outcome.output)")
        #expect(outcome.error.contains("line 3: \(bad.field):"), "\(bad.name): \(outcome.error)")
        #expect(outcome.error.contains(bad.reason), "\(bad.name): \(outcome.error)")
        #expect(try fixture.eventCount("l") == 0, "\(bad.name): something was written")
    }

    @Test("an id already stored with other content is refused, naming its position; with the same content it is skipped")
    func storedIDWithOtherContent() throws {
        let fixture = try ToolFixture()
        try fixture.succeed(["init", fixture.path("l")])
        let first = fixture.path("first.ndjson")
        try Data((MalformedInput.validPrefix.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: first))
        try fixture.succeed(["import", fixture.path("l"), first])
        let head = try fixture.headHash("l")

        let changed = MalformedInput.validPrefix[1].replacingOccurrences(of: "\"minutes\":45", with: "\"minutes\":50")
        let second = fixture.path("second.ndjson")
        try Data((changed + "\n" + MalformedInput.validSuffix + "\n").utf8).write(to: URL(fileURLWithPath: second))
        let outcome = try fixture.run(["import", fixture.path("l"), second])
        #expect(outcome.status == 1)
        #expect(outcome.error.contains("line 1: id: \(MalformedInput.sessionEventID) is already stored at position 2 with another data"), "\(outcome.error)")
        #expect(try fixture.headHash("l") == head)

        let retry = try fixture.succeed(["import", fixture.path("l"), first])
        #expect(retry.output.contains("imported 0 events"))
        #expect(retry.output.contains("2 already stored"))
    }

    @Test("a missing file and a path that is no ledger get their own errors; a failed import creates nothing")
    func missingThings() throws {
        let fixture = try ToolFixture()
        let noLedger = try fixture.run(["import", fixture.path("nowhere"), fixture.path("x.ndjson")])
        #expect(noLedger.status == 1)
        #expect(noLedger.error.contains("does not exist or cannot be read"), "\(noLedger.error)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path("nowhere")), "a failed import creates no ledger")
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: fixture.path("not-a-ledger")))
        let valid = fixture.path("valid.ndjson")
        try Data((MalformedInput.validPrefix.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: valid))
        let notADirectory = try fixture.run(["import", fixture.path("not-a-ledger"), valid])
        #expect(notADirectory.status == 1)
        #expect(notADirectory.error.contains("not-a-ledger"), "\(notADirectory.error)")
        try fixture.succeed(["init", fixture.path("l")])
        let noFile = try fixture.run(["import", fixture.path("l"), fixture.path("x.ndjson")])
        #expect(noFile.status == 1)
        #expect(noFile.error.contains("does not exist or cannot be read"))
    }
}
