import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("ledger init, append, log, tail and stats")
struct EventCommandTests {
    @Test("init creates an empty ledger once; a directory with other files is refused")
    func initialise() throws {
        let fixture = try ToolFixture()
        let created = try fixture.succeed(["init", fixture.path("l")])
        #expect(created.output.hasPrefix("created ledger "))
        #expect(try fixture.eventCount("l") == 0)
        let twice = try fixture.run(["init", fixture.path("l")])
        #expect(twice.status == 1)
        #expect(twice.error.contains("already holds a ledger"))
        try FileManager.default.createDirectory(at: fixture.directory.child("other"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: fixture.directory.child("other").appendingPathComponent("notes.txt"))
        let other = try fixture.run(["init", fixture.path("other")])
        #expect(other.status == 1)
        #expect(other.error.contains("holds other files (notes.txt)"))
    }

    @Test("append checks one event like the library and writes it, or writes nothing and says why")
    func append() throws {
        let fixture = try ToolFixture()
        try fixture.succeed(["init", fixture.path("l")])
        let started = try fixture.succeed(["append", fixture.path("l"), MalformedInput.validPrefix[0]])
        #expect(started.output.hasPrefix("appended MentorshipStarted at position 1 (\(MalformedInput.stream) revision 0"))
        let held = try fixture.succeed(["append", fixture.path("l"), "-"], input: Data((MalformedInput.validPrefix[1] + "\n").utf8))
        #expect(held.output.hasPrefix("appended SessionHeld at position 2 (\(MalformedInput.stream) revision 1"))
        let retry = try fixture.succeed(["append", fixture.path("l"), MalformedInput.validPrefix[1]])
        #expect(retry.output.hasPrefix("already stored at position 2"))

        let badRating = try fixture.run(["append", fixture.path("l"), MalformedInput.feedback(rating: 6)])
        #expect(badRating.status == 1)
        #expect(badRating.error.contains("data.rating: rating is 6; it must be 1 to 5"), "\(badRating.error)")
        #expect(badRating.error.contains("nothing was written"))
        let notJSON = try fixture.run(["append", fixture.path("l"), "{oops"])
        #expect(notJSON.status == 1)
        #expect(notJSON.error.contains("line: is not valid JSON"))
        #expect(try fixture.eventCount("l") == 2)
    }

    @Test("log prints readable envelopes, filtered and limited; --format json prints export lines")
    func log() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a", mentorships: 10, months: 2)
        let three = try fixture.succeed(["log", fixture.path("a"), "--limit", "3"]).output
        let entries = three.components(separatedBy: "\n#")
        #expect(entries.count == 3)
        #expect(three.hasPrefix("#1  2026-"))
        #expect(three.contains("MentorshipStarted"))
        #expect(three.contains("    data {\"mentor\":"))
        #expect(three.contains("    hash "))

        let sessions = ToolFixture.lines(try fixture.succeed(["log", fixture.path("a"), "--type", "SessionHeld", "--format", "json"]).output)
        #expect(!sessions.isEmpty)
        for line in sessions { #expect(try ToolFixture.object(line)["type"] == .string("SessionHeld")) }

        let newest = ToolFixture.lines(try fixture.succeed(["log", fixture.path("a"), "--reverse", "--limit", "1", "--format", "json"]).output)
        #expect(newest.count == 1)
        #expect(try ToolFixture.object(newest[0])["position"] == .number(JSONNumber(try fixture.eventCount("a"))))

        guard case .string(let stream)? = try ToolFixture.object(newest[0])["stream"] else { throw ToolFixtureError("no stream") }
        let ofStream = ToolFixture.lines(try fixture.succeed(["log", fixture.path("a"), "--stream", stream, "--format", "json"]).output)
        let revisions = try ofStream.map { try ToolFixture.object($0)["revision"] }
        #expect(revisions == (0..<ofStream.count).map { .number(JSONNumber(Int64($0))) })

        let unknown = try fixture.run(["log", fixture.path("a"), "--stream", "mentorship/nobody"])
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("stream 'mentorship/nobody' has no events"))
    }

    @Test("tail prints the newest events, and with --follow each event another process appends")
    func tailFollow() throws {
        let fixture = try ToolFixture()
        try fixture.succeed(["init", fixture.path("l")])
        try fixture.succeed(["append", fixture.path("l"), MalformedInput.validPrefix[0]])
        let last = try fixture.succeed(["tail", fixture.path("l"), "-n", "1", "--format", "json"])
        #expect(ToolFixture.lines(last.output).count == 1)

        // -n 1 prints position 1 first: once it arrives, tail is following.
        let (process, pipe) = try ToolProcess.start(["tail", fixture.path("l"), "-n", "1", "--follow", "--poll-milliseconds", "20", "--format", "json"])
        let pid = process.processIdentifier
        defer { if process.isRunning { kill(pid, SIGKILL) } }
        // Never wait forever: stop the child after 30 s whatever happens (its output then ends).
        DispatchQueue.global().asyncAfter(deadline: .now() + 30) { kill(pid, SIGKILL) }
        let reader = pipe.fileHandleForReading
        var received = Data()
        func readLines(_ count: Int) {
            while received.filter({ $0 == 10 }).count < count {
                let chunk = reader.availableData
                if chunk.isEmpty { return }
                received.append(chunk)
            }
        }
        readLines(1)
        try fixture.succeed(["append", fixture.path("l"), MalformedInput.validPrefix[1]])
        readLines(2)
        kill(pid, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "SIGTERM ends tail --follow")
        let printed = ToolFixture.lines(String(decoding: received, as: UTF8.self))
        try #require(printed.count == 2, "tail --follow printed \(printed)")
        #expect(try ToolFixture.object(printed[0])["position"] == .number(JSONNumber(Int64(1))))
        let line = try ToolFixture.object(printed[1])
        #expect(line["position"] == .number(JSONNumber(Int64(2))))
        #expect(line["id"] == .string(MalformedInput.sessionEventID))
    }

    @Test("stats counts events by type and shows the head; progress bars appear only on a terminal (or when forced)")
    func statsAndProgress() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a", mentorships: 10, months: 2)
        let stats = try fixture.stats("a")
        guard case .object(let byType)? = stats["byType"], case .number(let events)? = stats["events"] else { throw ToolFixtureError("no counts") }
        let sum = byType.members.reduce(Int64(0)) { total, member in
            if case .number(let count) = member.value { return total + (count.int64 ?? 0) }
            return total
        }
        #expect(sum == events.int64)
        #expect(byType["MentorshipStarted"] == .number(JSONNumber(Int64(10))))
        #expect(stats["streams"] == .number(JSONNumber(Int64(10))))
        #expect(stats["firstPosition"] == .number(JSONNumber(Int64(1))))
        let text = try fixture.succeed(["stats", fixture.path("a")])
        #expect(text.output.contains("head hash   \(try fixture.headHash("a"))"))
        #expect(text.error.isEmpty)

        // Piped: no progress. Forced: a bar with a percentage.
        let quiet = try fixture.succeed(["verify", fixture.path("a")])
        #expect(quiet.error.isEmpty)
        let forced = try fixture.run(["verify", fixture.path("a")], environment: ["LEDGER_PROGRESS": "always"])
        #expect(forced.status == 0)
        #expect(forced.error.contains("verifying [##############################] 100%"), "\(forced.error)")
        #expect(forced.output == quiet.output, "standard output is the same either way")
    }

    @Test("on a real terminal (a pseudo-terminal from script(1)) verify draws its progress bar")
    func progressOnATerminal() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        try #require(FileManager.default.isExecutableFile(atPath: script.path), "util-linux's script is part of every Debian system")
        let fixture = try ToolFixture()
        try fixture.simulate("a", mentorships: 10, months: 2)
        let process = Process()
        process.executableURL = script
        process.arguments = ["-qec", "\(try ToolProcess.executableURL().path) verify \(fixture.path("a"))", "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LEDGER_PROGRESS")
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.contains("\rverifying [##############################] 100%"), "\(output.debugDescription)")
        #expect(output.contains("intact: "))
    }
}
