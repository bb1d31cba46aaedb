import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// `ledger import --faithful` copies another ledger's export exactly — positions, revisions, ids,
/// recorded-at times, chain hashes and seals — so the copy's own export is byte-identical and its
/// head is the source's; a plain import keeps the file's order.
@Suite("ledger import --faithful and the file's order")
struct FaithfulImportTests {
    @Test("export → import --faithful → export is byte-identical; verify --head with the source's head passes; seals carry over", arguments: ["ndjson", "csv"])
    func roundTrip(_ format: String) throws {
        let fixture = try ToolFixture("faithful")
        try fixture.simulate("a", mentorships: 20, months: 3)
        let key = fixture.path("seal.key")
        try fixture.succeed(["seal", fixture.path("a"), "--key-file", key, "--generate-key"])
        let head = try fixture.headHash("a")
        let count = try fixture.eventCount("a")
        let export = fixture.path("a.\(format)")
        try fixture.succeed(["export", fixture.path("a"), "--format", format, "-o", export])
        #expect(try String(contentsOfFile: export, encoding: .utf8).contains("\"mac\""), "the export carries the seal")

        let copied = try fixture.succeed(["import", fixture.path("b"), export, "--faithful"])
        #expect(copied.output.contains("copied \(count) events at positions 1-\(count)"), "\(copied.output)")
        let again = fixture.path("b.\(format)")
        try fixture.succeed(["export", fixture.path("b"), "--format", format, "-o", again])
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: export)), "byte-identical exports")
        #expect(try fixture.headHash("b") == head)

        let verified = try fixture.succeed(["verify", fixture.path("b"), "--head", head, "--key-file", key])
        #expect(verified.output.hasPrefix("intact: \(count) events"), "\(verified.output)")
        #expect(verified.output.contains("head matches: position \(count) is \(head)"))
        #expect(verified.output.contains("sealed: 1 seals hold; the last covers positions 1-\(count)"), "\(verified.output)")
        let wrong = try fixture.run(["verify", fixture.path("b"), "--head", String(repeating: "0", count: 64)])
        #expect(wrong.status == 2)
        #expect(wrong.output.contains("HEAD FAULT: the head at position \(count) is \(head), not the expected \(String(repeating: "0", count: 64))"), "\(wrong.output)")
        let json = try ToolFixture.object(try fixture.run(["verify", fixture.path("b"), "--head", head, "--format", "json"]).output)
        #expect(json["headMatches"] == .bool(true))

        // The same reports as the source, at the same moment: the copy knows what the source knew when.
        for model in ["progress", "health"] {
            let at = "2026-02-15T00:00:00Z"
            let a = try fixture.succeed(["replay", fixture.path("a"), model, "--as-of", at, "--format", "json"]).output
            let b = try fixture.succeed(["replay", fixture.path("b"), model, "--as-of", at, "--format", "json"]).output
            #expect(a == b, "\(model) as of \(at)")
        }
        // And the script proves the copy's export with the key.
        let script = try PythonScript.run([again, "--head", head, "--key", key])
        #expect(script.status == 0, "\(script.output)")
    }

    @Test("--faithful into a ledger made with init works in one transaction; into one that holds events, or from a range, it is refused")
    func faithfulTargets() throws {
        let fixture = try ToolFixture("faithful")
        try fixture.simulate("a", mentorships: 5, months: 2)
        let export = fixture.path("a.ndjson")
        try fixture.succeed(["export", fixture.path("a"), "-o", export])
        try fixture.succeed(["init", fixture.path("empty")])
        try fixture.succeed(["import", fixture.path("empty"), export, "--faithful"])
        #expect(try fixture.headHash("empty") == (try fixture.headHash("a")))

        let full = try fixture.run(["import", fixture.path("empty"), export, "--faithful"])
        #expect(full.status == 1)
        #expect(full.error.contains("a faithful import copies a ledger into an empty one"), "\(full.error)")

        let range = fixture.path("range.ndjson")
        try fixture.succeed(["export", fixture.path("a"), "--from", "11", "-o", range])
        let partial = try fixture.run(["import", fixture.path("partial"), range, "--faithful"])
        #expect(partial.status == 1)
        #expect(partial.error.contains("line 1: position 11, position: is 11; this ledger's next position is 1"), "\(partial.error)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path("partial")))

        // A line without canonical bytes cannot be copied.
        let plain = fixture.path("plain.ndjson")
        try Data((MalformedInput.validPrefix.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: plain))
        let notExport = try fixture.run(["import", fixture.path("plain"), plain, "--faithful"])
        #expect(notExport.status == 1)
        #expect(notExport.error.contains("line 1: canonical: is missing"), "\(notExport.error)")
    }

    @Test("a plain import keeps the file's order: every position holds the source's event, only recorded-at and the hashes are the new ledger's")
    func plainImportKeepsOrder() throws {
        let fixture = try ToolFixture("order")
        let admins = try fixture.simulate("a", mentorships: 20, months: 3)
        let export = fixture.path("a.ndjson")
        try fixture.succeed(["export", fixture.path("a"), "-o", export])
        try fixture.succeed(["import", fixture.path("b"), export, "--admins-file", admins])
        let source = try ToolFixture.lines(try String(contentsOfFile: export, encoding: .utf8)).map(ToolFixture.object)
        let copy = try ToolFixture.lines(try fixture.succeed(["export", fixture.path("b")]).output).map(ToolFixture.object)
        #expect(copy.count == source.count)
        // Interleaved mentorships: the order is not one mentorship after another.
        let streams = source.prefix(40).compactMap { $0["stream"] }
        #expect(Set(streams).count > 1 && streams != streams.sorted { $0.serialized < $1.serialized })
        for (a, b) in zip(source, copy) {
            for field in ["position", "stream", "revision", "type", "schemaVersion", "id", "occurredAt", "actor", "data"] {
                #expect(a[field] == b[field], "position \(a["position"]?.serialized ?? "?"): \(field)")
            }
        }
    }
}
