import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

/// ``InterchangeImporter`` through the library API, on real ledgers: an export imports into a new
/// ledger with the same events, all or nothing, idempotently, checked against what is stored.
@Suite("InterchangeImporter")
struct InterchangeImporterTests {
    // MARK: - Fixtures

    /// A fresh ledger of the built-in types in `directory`.
    static func ledger(in directory: TemporaryDirectory, _ name: String) throws -> Ledger {
        var options = LedgerOptions()
        options.durability = .noSync
        return try Ledger(directory: directory.child(name), registry: try .accountability(), options: options)
    }

    /// 2026-01-01T00:00:00Z.
    static let epoch = Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000)
    static func day(_ days: Double) -> Timestamp { epoch.adding(seconds: days * 86_400) }

    /// One mentorship and its participants, making commands the rules accept.
    struct Pair {
        let mentorship = UUID()
        let mentor = UUID()
        let mentee = UUID()
        let program = UUID()

        func command(_ event: some AccountabilityEventType, by actor: UUID? = nil, day: Double, id: UUID = UUID()) -> MentorshipCommand {
            MentorshipCommand(event, mentorship: mentorship, by: actor ?? mentor, at: InterchangeImporterTests.day(day), id: id)
        }

        func started(day: Double = 0) -> MentorshipCommand {
            command(MentorshipStarted(mentorship: mentorship, mentor: mentor, mentee: mentee, program: program, cadenceDays: 7), day: day)
        }

        func held(day: Double, minutes: Int = 60, session: UUID = UUID(), id: UUID = UUID()) -> MentorshipCommand {
            command(SessionHeld(session: session, minutes: minutes, attendees: [mentor, mentee]), day: day, id: id)
        }

        func assigned(_ task: UUID, day: Double) -> MentorshipCommand {
            command(TaskAssigned(task: task, assignee: mentee, due: InterchangeImporterTests.day(day + 10)), day: day)
        }

        func completed(_ task: UUID, day: Double) -> MentorshipCommand {
            command(TaskCompleted(task: task, evidence: "done ✅"), by: mentee, day: day)
        }
    }

    /// The interchange line of `command`.
    static func line(_ command: MentorshipCommand) -> String {
        JSONValue.object(InterchangeLine.object(for: command)).serialized
    }

    /// Writes `lines` (each followed by a line feed) to a new file in `directory`.
    static func file(_ lines: [String], in directory: TemporaryDirectory, _ name: String = "input.ndjson") throws -> URL {
        let url = directory.url.appendingPathComponent(name)
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: url)
        return url
    }

    /// The export of `ledger` in `format`, as bytes.
    static func export(_ ledger: Ledger, format: ExportFormat = .ndjson) throws -> Data {
        var data = Data()
        try InterchangeExporter(format: format).export(ledger, to: { data.append(contentsOf: $0) })
        return data
    }

    /// What makes an event the same event in another ledger (its position, recording time and
    /// hash are the new ledger's own).
    struct Fingerprint: Hashable, CustomStringConvertible {
        let eventType: String
        let payload: [UInt8]
        let occurredAt: Timestamp
        let actor: UUID?
        let id: UUID
        let correlationID: UUID?
        let causationID: UUID?

        init(_ event: RecordedEvent) {
            eventType = event.eventType
            payload = event.payload
            occurredAt = event.occurredAt
            actor = event.actor
            id = event.id
            correlationID = event.correlationID
            causationID = event.causationID
        }

        var description: String { "\(eventType) \(id)" }
    }

    /// Each stream's events in stream order.
    static func eventsByStream(_ ledger: Ledger) throws -> [String: [Fingerprint]] {
        var streams: [String: [Fingerprint]] = [:]
        for event in try ledger.events(.all()) { streams[event.stream, default: []].append(Fingerprint(event)) }
        return streams
    }

    /// Runs `body`, expecting an ``InterchangeError``, and returns it.
    static func interchangeError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> ImportSummary) -> InterchangeError? {
        do {
            let summary = try body()
            Issue.record("the import succeeded: \(summary)", sourceLocation: sourceLocation)
        } catch let error as InterchangeError {
            return error
        } catch {
            Issue.record("expected an InterchangeError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    // MARK: - A generated program

    @Test("an exported simulated program imports into a fresh ledger with the same events by stream; a second import appends nothing")
    func generatedProgramRoundTrip() throws {
        let directory = try TemporaryDirectory("import")
        let config = SimulationConfig(seed: 3, mentorships: 40, months: 3)
        let simulator = try ProgramSimulator(config)
        let clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        options.durability = .noSync
        let source = try Ledger(directory: directory.child("source"), registry: try .accountability(), options: options)
        defer { source.close() }
        try simulator.write(into: source, clock: clock)
        let count = try source.head().position
        #expect(count > 500)
        let exportURL = directory.url.appendingPathComponent("program.ndjson")
        try Self.export(source).write(to: exportURL)

        let target = try Self.ledger(in: directory, "target")
        defer { target.close() }
        let importer = InterchangeImporter(log: AccountabilityLedger(ledger: target, admins: simulator.admins))
        let summary = try importer.importFile(at: exportURL)
        #expect(summary.linesRead == Int(count))
        #expect(summary.eventsAppended == Int(count))
        #expect(summary.alreadyStored == 0)
        #expect(summary.mentorships == config.mentorships)
        #expect(summary.positions == 1..<(count + 1))
        #expect(try target.head().position == count)

        let expected = try Self.eventsByStream(source)
        let imported = try Self.eventsByStream(target)
        #expect(expected.count == config.mentorships)
        #expect(imported.keys.sorted() == expected.keys.sorted())
        for (stream, events) in expected {
            #expect(imported[stream] == events, "\(stream)")
        }
        let verification = try target.verify()
        #expect(verification.isIntact, "\(verification)")

        // Again, from a file handle: every line is already stored, nothing is written.
        let head = try target.head()
        let handle = try FileHandle(forReadingFrom: exportURL)
        defer { try? handle.close() }
        let again = try importer.importLines(from: handle)
        #expect(again.linesRead == Int(count))
        #expect(again.eventsAppended == 0)
        #expect(again.alreadyStored == Int(count))
        #expect(again.mentorships == 0)
        #expect(again.positions.isEmpty)
        #expect(try target.head() == head)
    }

    @Test("a CSV export is not an interchange file: its header line is rejected as line 1")
    func csvIsNotImported() throws {
        let directory = try TemporaryDirectory("import")
        let source = try Self.ledger(in: directory, "source")
        defer { source.close() }
        let pair = Pair()
        try AccountabilityLedger(ledger: source).record(pair.started())
        let url = directory.url.appendingPathComponent("export.csv")
        try Self.export(source, format: .csv).write(to: url)
        let target = try Self.ledger(in: directory, "target")
        defer { target.close() }
        let error = Self.interchangeError { try InterchangeImporter(log: AccountabilityLedger(ledger: target)).importFile(at: url) }
        #expect(error?.line == 1)
        #expect(error?.field == "line")
        #expect(try target.head().position == 0)
    }

    // MARK: - All or nothing

    /// A bad last line and the field its error names.
    struct BadLastLine: Sendable, CustomTestStringConvertible {
        let name: String
        let field: String
        let make: @Sendable (Pair) -> String
        var testDescription: String { name }
    }

    static let badLastLines: [BadLastLine] = [
        BadLastLine(name: "not JSON", field: "line") { _ in #"{"type":"SessionHeld""# },
        BadLastLine(name: "an unknown field", field: "data.colour") { pair in
            InterchangeImporterTests.line(pair.held(day: 9)).replacingOccurrences(of: #""minutes":60"#, with: #""minutes":60,"colour":"red""#)
        },
        BadLastLine(name: "a session on a mentorship never started", field: "event") { _ in InterchangeImporterTests.line(Pair().held(day: 9)) },
        BadLastLine(name: "a session of 0 minutes", field: "data.minutes") { pair in InterchangeImporterTests.line(pair.held(day: 9, minutes: 0)) },
        BadLastLine(name: "an actor who is not a participant", field: "actor") { pair in
            var command = pair.held(day: 9)
            command.actor = UUID()
            return InterchangeImporterTests.line(command)
        },
    ]

    @Test("a bad last line writes nothing and names the last line", arguments: badLastLines)
    func badLastLineWritesNothing(_ bad: BadLastLine) throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let (a, b) = (Pair(), Pair())
        let task = UUID()
        let good = [a.started(), b.started(), a.held(day: 2), a.assigned(task, day: 3), b.held(day: 4), a.completed(task, day: 5)]
        let lines = good.map(Self.line) + ["", bad.make(a)]
        let url = try Self.file(lines, in: directory)
        let importer = InterchangeImporter(log: AccountabilityLedger(ledger: ledger))
        let error = Self.interchangeError { try importer.importFile(at: url) }
        #expect(error?.line == lines.count, "\(String(describing: error))")
        #expect(error?.field == bad.field, "\(String(describing: error))")
        #expect(try ledger.head().position == 0)
        for command in good {
            #expect(try ledger.read { try $0.position(ofEventID: command.id) } == nil)
        }
        // Without the bad line, the same file imports whole.
        let fixed = try Self.file(good.map(Self.line), in: directory, "fixed.ndjson")
        #expect(try importer.importFile(at: fixed).eventsAppended == good.count)
    }

    @Test("a line over maximumLineLength stops the import before anything is written")
    func lineLengthLimit() throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let pair = Pair()
        let long = pair.command(MentorshipPaused(reason: String(repeating: "x", count: 600)), day: 1)
        let url = try Self.file([pair.started(), long].map(Self.line), in: directory)
        var importer = InterchangeImporter(log: AccountabilityLedger(ledger: ledger))
        #expect(importer.maximumLineLength == 1 << 20)
        importer.maximumLineLength = 512
        let error = Self.interchangeError { try importer.importFile(at: url) }
        #expect(error?.line == 2)
        #expect(error?.field == "line")
        #expect(try ledger.head().position == 0)
        importer.maximumLineLength = 1024
        #expect(try importer.importFile(at: url).eventsAppended == 2)
    }

    @Test("a file that cannot be opened is an error naming the file")
    func missingFile() throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let url = directory.url.appendingPathComponent("absent.ndjson")
        let error = Self.interchangeError { try InterchangeImporter(log: AccountabilityLedger(ledger: ledger)).importFile(at: url) }
        #expect(error?.field == "file")
        #expect(error?.reason.contains("absent.ndjson") == true, "\(String(describing: error))")
    }

    // MARK: - Ids

    @Test("blank lines are skipped but counted; a line repeated in the file is appended once")
    func blankAndRepeatedLines() throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let pair = Pair()
        let start = Self.line(pair.started())
        let held = Self.line(pair.held(day: 1))
        let url = try Self.file(["", start, "   ", "\t", held, held, ""], in: directory)
        let summary = try InterchangeImporter(log: AccountabilityLedger(ledger: ledger)).importFile(at: url)
        #expect(summary.linesRead == 7)
        #expect(summary.eventsAppended == 2)
        #expect(summary.alreadyStored == 1)
        #expect(summary.mentorships == 1)
        #expect(summary.positions == 1..<3)
        #expect(try ledger.head().position == 2)

        // An empty file imports nothing, without error.
        let empty = try InterchangeImporter(log: AccountabilityLedger(ledger: ledger)).importFile(at: try Self.file([], in: directory, "empty.ndjson"))
        #expect(empty == ImportSummary())
        #expect(try ledger.head().position == 2)
    }

    /// A change to a stored command, and the difference the error names.
    struct Conflict: Sendable, CustomTestStringConvertible {
        let name: String
        let difference: String
        let change: @Sendable (inout MentorshipCommand, Pair) -> Void
        var testDescription: String { name }
    }

    static let conflicts: [Conflict] = [
        Conflict(name: "other data", difference: "another data") { command, pair in
            command = pair.held(day: 1, minutes: 45, id: command.id)
        },
        Conflict(name: "other type", difference: "another type") { command, pair in
            command = pair.command(MentorshipPaused(reason: "break"), day: 1, id: command.id)
        },
        Conflict(name: "other actor", difference: "another actor") { command, pair in command.actor = pair.mentee },
        Conflict(name: "other occurredAt", difference: "another occurredAt") { command, _ in
            command.occurredAt = command.occurredAt.adding(seconds: 0.000001)
        },
        Conflict(name: "a correlation id added", difference: "another correlation or causation id") { command, _ in
            command.correlationID = UUID()
        },
        Conflict(name: "another mentorship", difference: "another stream") { command, _ in
            let other = Pair()
            command = other.held(day: 1, id: command.id)
        },
    ]

    @Test("an id already stored with other content is an error on field \"id\" naming the stored position; nothing is written",
          arguments: conflicts)
    func idStoredWithOtherContent(_ conflict: Conflict) throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let pair = Pair()
        let importer = InterchangeImporter(log: AccountabilityLedger(ledger: ledger))
        var stored = pair.held(day: 1, session: UUID())
        _ = try importer.importFile(at: try Self.file([pair.started(), stored].map(Self.line), in: directory, "first.ndjson"))
        let head = try ledger.head()
        #expect(head.position == 2)

        conflict.change(&stored, pair)
        let fresh = pair.held(day: 2)
        let url = try Self.file([Self.line(fresh), Self.line(stored)], in: directory, "second.ndjson")
        let error = Self.interchangeError { try importer.importFile(at: url) }
        #expect(error?.field == "id", "\(String(describing: error))")
        #expect(error?.line == 2)
        #expect(error?.reason.contains("already stored at position 2") == true, "\(String(describing: error))")
        #expect(error?.reason.contains(conflict.difference) == true, "\(String(describing: error))")
        #expect(error?.reason.contains(stored.id.uuidString.lowercased()) == true, "\(String(describing: error))")
        #expect(try ledger.head() == head)
        #expect(try ledger.read { try $0.position(ofEventID: fresh.id) } == nil)
    }

    @Test("an id used twice in a file with different content is an error naming the earlier line")
    func idReusedInFile() throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let pair = Pair()
        let id = UUID()
        let url = try Self.file([pair.started(), pair.held(day: 1, id: id), pair.held(day: 2, id: id)].map(Self.line), in: directory)
        let error = Self.interchangeError { try InterchangeImporter(log: AccountabilityLedger(ledger: ledger)).importFile(at: url) }
        #expect(error?.field == "id")
        #expect(error?.line == 3)
        #expect(error?.reason.contains("already used on line 2") == true, "\(String(describing: error))")
        #expect(try ledger.head().position == 0)
    }

    // MARK: - Progress

    @Test("progress reports the lines and bytes read, then the commit with its event count")
    func progressPhases() throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let (a, b) = (Pair(), Pair())
        let lines = [a.started(), b.started(), a.held(day: 1), b.held(day: 1), a.held(day: 2)].map(Self.line)
        let url = try Self.file(lines, in: directory)
        let size = try Data(contentsOf: url).count
        var phases: [InterchangeImporter.Progress] = []
        let importer = InterchangeImporter(log: AccountabilityLedger(ledger: ledger))
        let summary = try importer.importFile(at: url) { phases.append($0) }
        #expect(summary.eventsAppended == 5)

        let lastReading = phases.last { if case .reading = $0 { true } else { false } }
        if case .reading(let lineCount, let bytes)? = lastReading {
            #expect(lineCount == 5)
            #expect(bytes == size)
        } else {
            Issue.record("no reading progress: \(phases)")
        }
        if case .committing(let events)? = phases.last {
            #expect(events == 5)
        } else {
            Issue.record("the last report is not the commit: \(phases)")
        }

        // A re-import appends nothing, and says so.
        phases.removeAll()
        #expect(try importer.importFile(at: url) { phases.append($0) }.alreadyStored == 5)
        if case .committing(let events)? = phases.last {
            #expect(events == 0)
        } else {
            Issue.record("the last report is not the commit: \(phases)")
        }
    }

    // MARK: - On top of stored mentorships

    @Test("an import continues mentorships already in the ledger: the rules check against the stored state")
    func continuesStoredMentorships() throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let log = AccountabilityLedger(ledger: ledger)
        let importer = InterchangeImporter(log: log)
        let (a, b) = (Pair(), Pair())
        let task = UUID()
        let first = try importer.importFile(at: try Self.file([a.started(), b.started(), a.assigned(task, day: 1)].map(Self.line), in: directory, "1.ndjson"))
        #expect(first.eventsAppended == 3)
        // Something recorded directly, between the imports.
        try log.record(b.held(day: 2))
        #expect(try ledger.head().position == 4)

        // A session and the task's completion on a mentorship started by the earlier import.
        let second = try importer.importFile(at: try Self.file([a.held(day: 3), a.completed(task, day: 4), b.held(day: 5)].map(Self.line), in: directory, "2.ndjson"))
        #expect(second.eventsAppended == 3)
        #expect(second.mentorships == 2)
        #expect(second.positions == 5..<8)
        #expect(try ledger.read { try $0.streamRevision(of: MentorshipStream.name(of: a.mentorship)) } == 3)
        #expect(try ledger.read { try $0.streamRevision(of: MentorshipStream.name(of: b.mentorship)) } == 2)
        #expect(try log.state(of: a.mentorship).tasks[task] != nil)

        let head = try ledger.head()
        let never = Pair()
        let cases: [(name: String, lines: [MentorshipCommand], line: Int, field: String, reason: String)] = [
            ("a session on a mentorship never started", [a.held(day: 6), never.held(day: 6)], 2, "event", "needs a started mentorship"),
            ("a second start of a stored mentorship", [b.started(day: 6)], 1, "event", "starts only once"),
            ("the stored task completed again", [a.completed(task, day: 6)], 1, "data.task", "was already completed"),
            ("a task that was never assigned", [a.held(day: 6), a.completed(UUID(), day: 6)], 2, "data.task", "was never assigned"),
            ("dated before the stored start", [a.held(day: -1)], 1, "occurredAt", "before the mentorship started"),
        ]
        for rejected in cases {
            let url = try Self.file(rejected.lines.map(Self.line), in: directory, "rejected.ndjson")
            let error = Self.interchangeError { try importer.importFile(at: url) }
            #expect(error?.field == rejected.field, "\(rejected.name): \(String(describing: error))")
            #expect(error?.line == rejected.line, "\(rejected.name): \(String(describing: error))")
            #expect(error?.reason.contains(rejected.reason) == true, "\(rejected.name): \(String(describing: error))")
            #expect(try ledger.head() == head, "\(rejected.name): nothing written")
        }
    }

    @Test("the appended events follow the file's order, whatever mentorship each line is of")
    func positionsFollowTheFile() throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let (a, b) = (Pair(), Pair())
        let commands = [b.started(), a.started(), a.held(day: 1), b.held(day: 1), a.held(day: 2), b.held(day: 3)]
        let url = try Self.file(commands.map(Self.line), in: directory)
        let summary = try InterchangeImporter(log: AccountabilityLedger(ledger: ledger)).importFile(at: url)
        #expect(summary.positions == 1..<7)
        let stored = try ledger.events(.all())
        #expect(stored.map(\.id) == commands.map(\.id))
        #expect(stored.map(\.position) == Array(1...6))
        // Each mentorship's stream keeps its own revisions, in file order.
        #expect(stored.map(\.streamRevision) == [0, 0, 1, 1, 2, 2])
    }

    @Test("importCommands records commands already read, naming their own line numbers in errors")
    func importCommands() throws {
        let directory = try TemporaryDirectory("import")
        let ledger = try Self.ledger(in: directory, "ledger")
        defer { ledger.close() }
        let pair = Pair()
        let importer = InterchangeImporter(log: AccountabilityLedger(ledger: ledger))
        let error = Self.interchangeError { try importer.importCommands([(10, pair.started()), (20, pair.held(day: 1, minutes: 721))]) }
        #expect(error?.line == 20)
        #expect(error?.field == "data.minutes")
        let summary = try importer.importCommands([(10, pair.started()), (20, pair.held(day: 1))])
        #expect(summary.linesRead == 20)
        #expect(summary.eventsAppended == 2)
    }
}
