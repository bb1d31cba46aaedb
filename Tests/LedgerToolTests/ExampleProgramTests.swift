import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// The example programs, run as built, print what their README paragraphs promise.
@Suite("Example programs")
struct ExampleProgramTests {
    static let small = ["--mentorships", "40", "--months", "4", "--seed", "3"]

    func run(_ program: String, _ arguments: [String] = small) throws -> ToolProcess.Outcome {
        let outcome = try ToolProcess.run(arguments, program: program)
        #expect(outcome.status == 0, "\(program): \(outcome.error)")
        return outcome
    }

    @Test("EarlyWarning prints its formula and ranks the riskiest pairs, highest risk first")
    func earlyWarning() throws {
        let output = try run("EarlyWarning").output
        #expect(output.contains("30·(1 − E/100) + 20·(1 − C/100)"), "\(output.prefix(600))")
        let ranked = output.split(separator: "\n").filter { $0.range(of: #"^\s*\d+\s+[0-9a-f]{8}…"#, options: .regularExpression) != nil }
        #expect(!ranked.isEmpty && ranked.count <= 10)
        let risks = ranked.compactMap { line in line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first.flatMap { Double($0) } }
        #expect(risks.count == ranked.count)
        #expect(risks == risks.sorted(by: >), "ranked by risk, highest first: \(risks)")
        #expect(try run("EarlyWarning").output == output, "the same seed prints the same report")
    }

    @Test("MentoringHours writes RFC 4180 CSV whose hours are its minutes / 60")
    func mentoringHours() throws {
        let output = try run("MentoringHours").output
        let records = output.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(records.first == "mentor,month,sessions,minutes,hours")
        #expect(records.count > 10)
        for record in records.dropFirst() {
            let fields = record.split(separator: ",").map(String.init)
            try #require(fields.count == 5, "\(record)")
            #expect(UUID(uuidString: fields[0]) != nil)
            #expect(fields[1].range(of: #"^\d{4}-\d{2}$"#, options: .regularExpression) != nil)
            let minutes = try #require(Double(fields[3]))
            #expect(fields[4] == String(format: "%.2f", minutes / 60))
        }
        let keys = records.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
        #expect(keys == keys.sorted(), "sorted by mentor, then month")
    }

    @Test("GoalAuditTrail prints a goal's history as known at a past date and proves the chain up to it")
    func goalAuditTrail() throws {
        let output = try run("GoalAuditTrail").output
        #expect(output.contains("GoalSet"))
        #expect(output.range(of: #"chain intact through position \d+: [0-9a-f]{64}"#, options: .regularExpression) != nil, "\(output.suffix(400))")
    }

    @Test("MilestoneEvents registers, appends and folds its own event type next to the built-in ones")
    func milestoneEvents() throws {
        let output = try run("MilestoneEvents").output
        #expect(output.range(of: #"\d+ MilestoneReached"#, options: .regularExpression) != nil)
        #expect(output.contains("a blank title is refused"))
        #expect(output.contains("verify: intact"))
    }

    @Test("a bad argument is named, with exit status 2", arguments: ["EarlyWarning", "MentoringHours", "GoalAuditTrail", "MilestoneEvents"])
    func badArgument(_ program: String) throws {
        let outcome = try ToolProcess.run(["--months", "0"], program: program)
        #expect(outcome.status == 2)
        #expect(outcome.error.contains("--months"))
    }
}

// MARK: - MentoringHours: the persistent keyed projection, followed and queried by a second process

extension ExampleProgramTests {
    /// What the in-memory `Projection` version of MentoringHours printed for ``small``, before the
    /// example kept its rows in the ledger: the CSV's size and FNV-1a digest, and its summary.
    enum PinnedHours {
        static let bytes = 6_631
        static let digest: UInt64 = 0x585F_3679_0B86_9224
        static let records = 117
        static let summary = ["Wrote 117 rows (39 mentors, 5 months) to ",
                              "  220 sessions, 11114 minutes = 185.23 hours of mentoring"]
        static let lastRecord = "e82ab11f-2259-422b-9b82-fb7f88f0e2b3,2026-04,3,167,2.78"
    }

    /// FNV-1a (64 bits) of `bytes`.
    static func fnv1a(_ bytes: Data) -> UInt64 {
        bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    /// The CSV's records (header dropped) as mentor-month → (minutes, sessions).
    static func hoursByKey(_ csv: String) throws -> [String: (minutes: Int, sessions: Int)] {
        var result: [String: (minutes: Int, sessions: Int)] = [:]
        for record in csv.components(separatedBy: "\r\n").dropFirst() where !record.isEmpty {
            let fields = record.split(separator: ",").map(String.init)
            try #require(fields.count == 5, "\(record)")
            result["\(fields[0]) \(fields[1])"] = (try #require(Int(fields[3])), try #require(Int(fields[2])))
        }
        return result
    }

    @Test("MentoringHours read from its persisted rows prints the very CSV and summary the in-memory projection printed")
    func mentoringHoursUnchanged() throws {
        let outcome = try run("MentoringHours")
        #expect(outcome.outputBytes.count == PinnedHours.bytes)
        #expect(Self.fnv1a(outcome.outputBytes) == PinnedHours.digest, "the CSV changed: \(outcome.output.prefix(300))")
        let records = outcome.output.components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
        #expect(records.count == PinnedHours.records)
        #expect(records.last == PinnedHours.lastRecord)
        let totals = try Self.hoursByKey(outcome.output).values
        #expect(totals.reduce(0) { $0 + $1.minutes } == 11_114)
        #expect(totals.reduce(0) { $0 + $1.sessions } == 220)

        let directory = try TemporaryDirectory("mentoring-hours-output")
        let file = directory.child("hours.csv").path
        let summary = try run("MentoringHours", Self.small + ["--output", file])
        let lines = summary.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(summary.output)")
        #expect(lines.first?.hasPrefix(PinnedHours.summary[0]) == true, "\(summary.output)")
        #expect(lines.last == PinnedHours.summary[1], "\(summary.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == outcome.outputBytes, "--output writes the same CSV")
    }

    @Test("MentoringHours query reads one mentor's month from a second process while follow keeps appending; positions never go back; at the end it equals the CSV")
    func mentoringHoursFollowAndQuery() throws {
        let directory = try TemporaryDirectory("mentoring-hours-follow")
        let ledger = directory.child("ledger").path
        let simulation = ["--mentorships", "40", "--months", "6", "--seed", "3"]
        let follow = try FollowChild(["follow", ledger] + simulation + ["--pause", "75"], stderr: directory.child("follow.err"))
        defer { follow.stop() }

        var caughtUp: [UInt64] = []
        var key: (mentor: String, month: String)?
        var done: UInt64?
        // (the last `caught up` read before the query started, what the query printed)
        var queries: [(after: UInt64, answer: HoursAnswer)] = []
        var reader = LineReader(follow.output)
        while done == nil, let line = reader.next() {
            let words = line.split(separator: " ").map(String.init)
            switch words.first {
            case "caught" where words.count == 3:
                caughtUp.append(try #require(UInt64(words[2]), "\(line)"))
            case "mentor" where words.count == 3:
                key = (words[1], words[2])
            case "done" where words.count == 2:
                let position = try #require(UInt64(words[1]), "\(line)")
                done = position
                continue
            default:
                Issue.record("follow printed '\(line)'")
            }
            // While it is still appending: one query after each catch-up once a key is known.
            if let key, let last = caughtUp.last {
                queries.append((last, try Self.query(ledger, key)))
            }
        }
        let end = try #require(done, "follow ended without `done`: \(follow.errorText)")
        follow.process.waitUntilExit()
        #expect(follow.process.terminationStatus == 0, "follow: \(follow.errorText)")
        let (mentor, month) = try #require(key, "follow printed no `mentor` line")

        #expect(caughtUp.count >= 20, "one catch-up per simulated week: \(caughtUp)")
        #expect(caughtUp == caughtUp.sorted() && caughtUp.last == end)
        #expect(queries.count >= 5, "\(queries.count) queries")
        let during = queries.filter { $0.answer.position < end }
        #expect(during.count >= 3, "queries answered while follow was still appending: \(queries.map(\.answer.position)) of \(end)")
        for (after, answer) in queries {
            #expect(answer.position >= after, "a query started after `caught up \(after)` answered at \(answer.position)")
            #expect(answer.position <= end)
            #expect(answer.mentor == mentor && answer.month == month)
        }
        let positions = queries.map(\.answer.position), minutes = queries.map(\.answer.minutes)
        #expect(positions == positions.sorted(), "positions went backwards: \(positions)")
        #expect(minutes == minutes.sorted(), "a mentor's minutes only grow: \(minutes)")

        // After `done`: the stored row equals the CSV of the same program, at the last position.
        let csv = try Self.hoursByKey(try run("MentoringHours", simulation).output)
        let expected = try #require(csv["\(mentor) \(month)"], "the CSV has no row for \(mentor) \(month)")
        let final = try Self.query(ledger, (mentor, month))
        #expect(final.position == end)
        #expect(final.minutes == expected.minutes && final.sessions == expected.sessions, "query \(final), CSV \(expected)")
        for (other, totals) in csv.sorted(by: { $0.key < $1.key }).suffix(3) {
            let parts = other.split(separator: " ").map(String.init)
            let answer = try Self.query(ledger, (parts[0], parts[1]))
            #expect(answer.minutes == totals.minutes && answer.sessions == totals.sessions && answer.position == end, "\(other): \(answer)")
        }
        // A month with no sessions is an answer too.
        let none = try run("MentoringHours", ["query", ledger, "--mentor", mentor, "--month", "1999-01"]).output
        #expect(none == "no sessions for \(mentor) in 1999-01 at \(end)\n")
    }

    @Test("MentoringHours query: a malformed --month or --mentor is named, with exit status 2", arguments: [
        (["--mentor", "6e4c2c1a-5b0e-4b8e-9a57-3d7d1f1c2b10", "--month", "2026-13"], "--month"),
        (["--mentor", "6e4c2c1a-5b0e-4b8e-9a57-3d7d1f1c2b10", "--month", "March"], "--month"),
        (["--mentor", "not-a-uuid", "--month", "2026-03"], "--mentor"),
        (["--month", "2026-03"], "--mentor"),
    ])
    func mentoringHoursBadQuery(_ arguments: [String], _ named: String) throws {
        let directory = try TemporaryDirectory("mentoring-hours-bad-query")
        let outcome = try ToolProcess.run(["query", directory.child("ledger").path] + arguments, program: "MentoringHours")
        #expect(outcome.status == 2)
        #expect(outcome.error.contains(named), "\(outcome.error)")
        #expect(outcome.output.isEmpty)
    }

    /// What one `MentoringHours query` printed for a mentor's month that has a row.
    struct HoursAnswer: CustomStringConvertible {
        let mentor: String, month: String
        let minutes: Int, sessions: Int
        let position: UInt64
        var description: String { "\(mentor) \(month) \(minutes) \(sessions) at \(position)" }
    }

    /// Runs `MentoringHours query LEDGER --mentor … --month …` as a child process and parses its
    /// line `<mentor> <month> <minutes> <sessions> at <position>`.
    static func query(_ ledger: String, _ key: (mentor: String, month: String)) throws -> HoursAnswer {
        let outcome = try ToolProcess.run(["query", ledger, "--mentor", key.mentor, "--month", key.month], program: "MentoringHours")
        try #require(outcome.status == 0, "query failed: \(outcome.error)")
        let words = outcome.output.split(whereSeparator: \.isWhitespace).map(String.init)
        try #require(words.count == 6 && words[4] == "at", "query printed '\(outcome.output)'")
        return HoursAnswer(mentor: words[0], month: words[1], minutes: try #require(Int(words[2])),
                           sessions: try #require(Int(words[3])), position: try #require(UInt64(words[5])))
    }

    /// `MentoringHours follow …` running as a child process: its standard output is a pipe read
    /// line by line, its standard error goes to a file; it is terminated if still running after
    /// 120 s, or when the test ends early.
    final class FollowChild: Sendable {
        let process: Process
        let output: FileHandle
        let stderrFile: URL

        init(_ arguments: [String], stderr: URL) throws {
            stderrFile = stderr
            _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
            let process = Process()
            process.executableURL = try ToolProcess.executableURL("MentoringHours")
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = try FileHandle(forWritingTo: stderr)
            try process.run()
            self.process = process
            output = pipe.fileHandleForReading
            DispatchQueue.global().asyncAfter(deadline: .now() + 120) { [process] in
                if process.isRunning { process.terminate() }
            }
        }

        /// What it wrote to standard error.
        var errorText: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

        /// Terminates it if it is still running, and reaps it.
        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    /// Reads a pipe line by line, blocking until a whole line (or the end) is there.
    struct LineReader {
        let handle: FileHandle
        var buffer: [UInt8] = []

        init(_ handle: FileHandle) { self.handle = handle }

        /// The next line without its newline; nil at the end.
        mutating func next() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    return line
                }
                let chunk = handle.availableData
                guard !chunk.isEmpty else {
                    defer { buffer.removeAll() }
                    return buffer.isEmpty ? nil : String(decoding: buffer, as: UTF8.self)
                }
                buffer += chunk
            }
        }
    }
}
