import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

/// ``InterchangeExporter``: NDJSON lines an auditor can recompute the hash chain from, with the
/// stored times exactly, in the documented member order; CSV with the same columns; a
/// user-defined type exported as its payload bytes.
@Suite("InterchangeExporter")
struct InterchangeExporterTests {
    /// A user's own event type, registered next to the built-ins (README, Quick start).
    struct MilestoneReached: LedgerEvent {
        static let eventType = "MilestoneReached"
        var mentee: UUID
        var title: String

        init(mentee: UUID, title: String) {
            self.mentee = mentee
            self.title = title
        }

        func encodePayload(into writer: inout EventPayloadWriter) {
            writer.write(mentee)
            writer.write(title)
        }

        init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
            mentee = try reader.readUUID()
            title = try reader.readString()
        }
    }

    /// A ledger of six events at times with microseconds: a start, a goal with correlation and
    /// causation ids, a user-defined event without an actor dated before 1970, a session,
    /// feedback whose comment needs quoting in CSV, and a task.
    final class Fixture {
        /// 2026-01-01T00:00:00Z.
        static let epoch = Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000)

        let directory: TemporaryDirectory
        let clock: ManualClock
        let ledger: Ledger
        let mentorship = UUID()
        let mentor = UUID()
        let mentee = UUID()
        let program = UUID()
        let correlation = UUID()
        let causation = UUID()
        let milestoneStream: String

        /// - Parameter comment: the feedback's comment.
        init(comment: String = "Great session, \"really\" 🎉\nsee you, next week") throws {
            directory = try TemporaryDirectory("export")
            clock = ManualClock(Self.epoch)
            var registry = try EventTypeRegistry.accountability()
            try registry.register(MilestoneReached.self)
            var options = LedgerOptions()
            options.clock = clock
            options.durability = .noSync
            ledger = try Ledger(directory: directory.child("ledger"), registry: registry, options: options)
            milestoneStream = "milestones/\(mentee.uuidString.lowercased())"
            let log = AccountabilityLedger(ledger: ledger)
            let day = { (days: Double, micros: Int64) in
                Timestamp(microsecondsSinceEpoch: Self.epoch.microsecondsSinceEpoch + Int64(days * 86_400) * 1_000_000 + micros)
            }
            func command(_ event: some AccountabilityEventType, by actor: UUID, at time: Timestamp) -> MentorshipCommand {
                MentorshipCommand(event, mentorship: mentorship, by: actor, at: time)
            }

            clock.set(day(0, 123_457))
            try log.record(command(MentorshipStarted(mentorship: mentorship, mentor: mentor, mentee: mentee, program: program,
                                                     cadenceDays: 7, plannedEnd: day(180, 0)), by: mentor, at: day(0, 1)))
            clock.set(day(1, 999_999))
            let goal = UUID()
            var goalSet = command(GoalSet(goal: goal, owner: mentee, title: "Ship \"it\", finally", metric: GoalMetric(name: "PRs", unit: "PRs", baseline: 0, target: 12.5),
                                          mentorAgreed: true, rationale: "Growth, à la carte", deadline: day(60, 42)), by: mentee, at: day(1, 500_001))
            goalSet.correlationID = correlation
            goalSet.causationID = causation
            try log.record(goalSet)
            clock.set(day(2, 7))
            try ledger.append([try ProposedEvent(MilestoneReached(mentee: mentee, title: "First demo, \"live\""),
                                                 occurredAt: Timestamp(microsecondsSinceEpoch: -1))], to: milestoneStream, expecting: .noStream)
            clock.set(day(3, 250_003))
            let session = UUID()
            try log.record(command(SessionHeld(session: session, minutes: 45, attendees: [mentor, mentee], goals: [goal]), by: mentor, at: day(3, 1)))
            clock.set(day(3, 250_004))
            try log.record(command(FeedbackGiven(from: mentee, to: mentor, rating: 5, session: session, comment: comment), by: mentee, at: day(3, 2)))
            clock.set(day(4, 654_321))
            try log.record(command(TaskAssigned(task: UUID(), assignee: mentee, due: day(10, 0), goal: goal), by: mentor, at: day(4, 3)))
        }

        deinit {
            ledger.close()
        }

        /// The stored events, in position order.
        func stored() throws -> [RecordedEvent] { try ledger.events(.all()) }

        /// Runs `exporter`: the text written, the count it returned and the progress reports.
        func export(_ exporter: InterchangeExporter) throws -> (text: String, written: UInt64, progress: [UInt64]) {
            var bytes: [UInt8] = []
            var progress: [UInt64] = []
            let written = try exporter.export(ledger, to: { bytes.append(contentsOf: $0) }, progress: { progress.append($0) })
            return (String(decoding: bytes, as: UTF8.self), written, progress)
        }

        /// The NDJSON lines of `exporter` (format set to NDJSON), parsed.
        func lines(from: UInt64 = 1, through: UInt64? = nil) throws -> [JSONObject] {
            var exporter = InterchangeExporter(format: .ndjson)
            exporter.from = from
            exporter.through = through
            let text = try export(exporter).text
            #expect(text.isEmpty || text.hasSuffix("\n"), "every line ends with a line feed")
            return try text.split(separator: "\n").map { try InterchangeExporterTests.object(String($0)) }
        }
    }

    // MARK: - Helpers

    static func object(_ line: String) throws -> JSONObject {
        let value = try JSONParser.parse(line)
        guard case .object(let object) = value else { throw LedgerError(.invalidRequest, "not an object: \(line)") }
        return object
    }

    static func string(_ object: JSONObject, _ key: String) -> String? {
        guard case .string(let text)? = object[key] else { return nil }
        return text
    }

    static func int(_ object: JSONObject, _ key: String) -> Int64? {
        guard case .number(let number)? = object[key] else { return nil }
        return number.int64
    }

    /// The bytes of lowercase or uppercase hexadecimal text, or `nil` when it is not hex.
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    /// The built-in event of a stored record, or `nil` for a user's type.
    static func builtIn(_ record: RecordedEvent) throws -> AccountabilityEvent? {
        try record.payload.withUnsafeBytes {
            try AccountabilityEvent.decode(eventType: record.eventType, schemaVersion: record.schemaVersion, payload: $0)
        }
    }

    // MARK: - The chain

    @Test("NDJSON: previousHash starts at 64 zeros and links each line to the one before; chainHash recomputes from genesis over the canonical bytes to the head")
    func chainRecomputes() throws {
        let fx = try Fixture()
        let (text, written, progress) = try fx.export(InterchangeExporter(format: .ndjson))
        let stored = try fx.stored()
        let lines = try text.split(separator: "\n").map { try Self.object(String($0)) }
        #expect(stored.count == 6)
        #expect(lines.count == stored.count)
        #expect(written == UInt64(stored.count))
        #expect(Self.string(try #require(lines.first), "previousHash") == String(repeating: "0", count: 64))

        var chain = ChainHash.genesis
        var previousLine: JSONObject?
        for (line, record) in zip(lines, stored) {
            if let previousLine {
                #expect(Self.string(line, "previousHash") == Self.string(previousLine, "chainHash"), "position \(record.position)")
            }
            let canonical = try #require(Self.string(line, "canonical").flatMap(Self.bytes(hex:)), "position \(record.position)")
            #expect(canonical == record.canonicalBytes, "position \(record.position)")
            chain = chain.next(canonicalBytes: canonical)
            #expect(Self.string(line, "chainHash") == chain.hex, "position \(record.position)")
            #expect(chain == record.chainHash)
            previousLine = line
        }
        let head = try fx.ledger.head()
        #expect(chain == head.hash)
        #expect(Self.string(try #require(lines.last), "chainHash") == head.hash.hex)
        #expect(progress.last == head.position)
    }

    @Test("each line's envelope fields are the stored record's, and a built-in event's data is its interchange data")
    func envelopeFields() throws {
        let fx = try Fixture()
        let stored = try fx.stored()
        let lines = try fx.lines()
        for (line, record) in zip(lines, stored) {
            let at = "position \(record.position)"
            #expect(Self.int(line, "position") == Int64(record.position), "\(at)")
            #expect(Self.string(line, "stream") == record.stream, "\(at)")
            #expect(Self.int(line, "revision") == Int64(record.streamRevision), "\(at)")
            #expect(Self.string(line, "type") == record.eventType, "\(at)")
            #expect(Self.int(line, "schemaVersion") == Int64(record.schemaVersion), "\(at)")
            #expect(Self.string(line, "id") == record.id.uuidString.lowercased(), "\(at)")
            #expect(Self.string(line, "actor") == record.actor?.uuidString.lowercased(), "\(at)")
            #expect(Self.string(line, "correlationID") == record.correlationID?.uuidString.lowercased(), "\(at)")
            #expect(Self.string(line, "causationID") == record.causationID?.uuidString.lowercased(), "\(at)")
            if let event = try Self.builtIn(record) {
                #expect(line["data"] == .object(InterchangeLine.data(of: event)), "\(at)")
            }
        }
        #expect(stored[1].correlationID == fx.correlation && stored[1].causationID == fx.causation, "the fixture has linked events")
    }

    @Test("recordedAt and occurredAt are RFC 3339 with microseconds that parse back to the stored times exactly")
    func timesExact() throws {
        let fx = try Fixture()
        let stored = try fx.stored()
        let lines = try fx.lines()
        for (line, record) in zip(lines, stored) {
            let recordedAt = try #require(Self.string(line, "recordedAt"))
            let occurredAt = try #require(Self.string(line, "occurredAt"))
            #expect(try Timestamp(rfc3339: recordedAt) == record.recordedAt, "\(recordedAt)")
            #expect(try Timestamp(rfc3339: occurredAt) == record.occurredAt, "\(occurredAt)")
            #expect(recordedAt.utf8.count == 27 && recordedAt.hasSuffix("Z"), "\(recordedAt)")
        }
        // The fixture exercises what a coarser format would lose.
        #expect(stored.allSatisfy { $0.recordedAt.microsecondsSinceEpoch % 1_000 != 0 })
        #expect(stored.contains { $0.occurredAt.microsecondsSinceEpoch % 1_000_000 == 1 })
        #expect(Self.string(lines[0], "recordedAt") == "2026-01-01T00:00:00.123457Z")
        #expect(Self.string(lines[0], "occurredAt") == "2026-01-01T00:00:00.000001Z")
        #expect(Self.string(lines[2], "occurredAt") == "1969-12-31T23:59:59.999999Z")
    }

    @Test("members follow InterchangeExporter.columns, absent optionals left out, payload in place of data for a user's type")
    func memberOrder() throws {
        let fx = try Fixture()
        #expect(InterchangeExporter.columns == [
            "position", "stream", "revision", "type", "schemaVersion", "id", "recordedAt", "occurredAt",
            "actor", "correlationID", "causationID", "data", "previousHash", "chainHash", "canonical", "seal",
        ])
        for (line, record) in zip(try fx.lines(), try fx.stored()) {
            let isBuiltIn = try Self.builtIn(record) != nil
            let expected = InterchangeExporter.columns.compactMap { column -> String? in
                switch column {
                case "actor": record.actor == nil ? nil : column
                case "correlationID": record.correlationID == nil ? nil : column
                case "causationID": record.causationID == nil ? nil : column
                case "data": isBuiltIn ? "data" : "payload"
                case "seal": nil  // the fixture's ledger holds no seal
                default: column
                }
            }
            #expect(line.keys == expected, "position \(record.position)")
        }
    }

    @Test("every built-in line imports back as the stored command")
    func linesImportBack() throws {
        let fx = try Fixture()
        var checked = 0
        for (line, record) in zip(try fx.lines(), try fx.stored()) {
            guard let event = try Self.builtIn(record) else { continue }
            let command = try InterchangeLine.command(from: line)
            #expect(command.event == event)
            #expect(command.stream == record.stream)
            #expect(command.id == record.id)
            #expect(command.actor == record.actor)
            #expect(command.occurredAt == record.occurredAt)
            #expect(command.correlationID == record.correlationID)
            #expect(command.causationID == record.causationID)
            #expect(try command.proposedEvent().payload == record.payload)
            checked += 1
        }
        #expect(checked == 5)
    }

    // MARK: - Ranges

    @Test("from and through select positions; the first line chains to the position before it")
    func ranges() throws {
        let fx = try Fixture()
        let stored = try fx.stored()
        let all = try fx.lines()
        let cases: [(from: UInt64, through: UInt64?, positions: [Int64])] = [
            (3, 5, [3, 4, 5]), (4, nil, [4, 5, 6]), (1, 2, [1, 2]), (0, 1, [1]), (6, 6, [6]), (2, 100, [2, 3, 4, 5, 6]), (7, nil, []), (5, 3, []),
        ]
        for range in cases {
            var exporter = InterchangeExporter(format: .ndjson)
            exporter.from = range.from
            exporter.through = range.through
            let (text, written, progress) = try fx.export(exporter)
            let lines = try text.split(separator: "\n").map { try Self.object(String($0)) }
            let label = "from \(range.from) through \(String(describing: range.through))"
            #expect(lines.map { Self.int($0, "position") } == range.positions, "\(label)")
            #expect(written == UInt64(range.positions.count), "\(label)")
            // The same lines as in the whole export, previousHash included.
            #expect(lines == range.positions.map { all[Int($0) - 1] }, "\(label)")
            if let first = range.positions.first {
                let before = first == 1 ? String(repeating: "0", count: 64) : stored[Int(first) - 2].chainHash.hex
                #expect(Self.string(lines[0], "previousHash") == before, "\(label)")
            }
            if let through = range.through, through <= stored.count {
                #expect(progress.last == through, "\(label)")
            } else if range.through == nil {
                #expect(progress.last == stored.last?.position, "\(label)")
            }
        }
    }

    @Test("exportLine writes the NDJSON line of one record")
    func exportLine() throws {
        let fx = try Fixture()
        let text = try fx.export(InterchangeExporter(format: .ndjson)).text
        let expected = text.split(separator: "\n").map(String.init)
        let lines = try fx.ledger.read { reader in
            var previous = ChainHash.genesis
            var lines: [String] = []
            for position in 1...UInt64(expected.count) {
                let record = try #require(try reader.event(at: position))
                lines.append(try InterchangeExporter.exportLine(record, previous: previous, reader: reader))
                previous = record.chainHash
            }
            return lines
        }
        #expect(lines == expected)
    }

    // MARK: - A user's own type

    @Test("an event of a user-defined type is exported with its payload in hex instead of data, and chains like the rest")
    func userDefinedType() throws {
        let fx = try Fixture()
        let stored = try fx.stored()
        let record = try #require(stored.first { $0.eventType == MilestoneReached.eventType })
        let line = try #require(try fx.lines().first { Self.string($0, "type") == MilestoneReached.eventType })
        #expect(line["data"] == nil)
        let payload = try #require(Self.string(line, "payload"))
        #expect(Self.bytes(hex: payload) == record.payload)
        #expect(payload == payload.lowercased())
        #expect(try record.decode(as: MilestoneReached.self).title == "First demo, \"live\"")
        #expect(Self.string(line, "stream") == fx.milestoneStream)
        #expect(line["actor"] == nil, "the event has no actor")
        // An import takes mentorship events of the built-in types only: this line is refused for
        // its stream, and on a mentorship stream for its type (its payload is ignored either way).
        do {
            _ = try InterchangeLine.command(from: JSONValue.object(line).serialized)
            Issue.record("a line on a stream that is not a mentorship's was imported")
        } catch {
            #expect(error.field == "stream", "\(error)")
        }
        let members = line.members.map { member in
            member.key == "stream" ? JSONMember(key: "stream", value: .string(MentorshipStream.name(of: fx.mentorship))) : member
        } + [JSONMember(key: "actor", value: .string(fx.mentee.uuidString))]
        do {
            _ = try InterchangeLine.command(from: JSONValue.object(JSONObject(members)).serialized)
            Issue.record("a user-defined type was imported")
        } catch {
            #expect(error.field == "type", "\(error)")
            #expect(error.reason.contains("\"MilestoneReached\" is not a built-in event type"), "\(error)")
        }
    }

    // MARK: - CSV

    @Test("CSV: the header is InterchangeExporter.columns, one CRLF record per event, the data JSON quoted with its quotes doubled")
    func csv() throws {
        let fx = try Fixture()
        let (text, written, _) = try fx.export(InterchangeExporter(format: .csv))
        let stored = try fx.stored()
        let ndjson = try fx.lines()
        #expect(written == UInt64(stored.count))
        let records = try #require(CSVFieldTests.parse(text), "the export is RFC 4180")
        #expect(records.first == InterchangeExporter.columns)
        #expect(records.count == stored.count + 1)
        #expect(text.hasPrefix(InterchangeExporter.columns.joined(separator: ",") + "\r\n"))
        // One line per record: JSON escapes the comment's line break, so the only line breaks are the CRLFs ending records.
        #expect(Array(text.utf8).filter { $0 == 10 }.count == stored.count + 1)
        #expect(text.hasSuffix("\r\n"))

        for (index, (record, line)) in zip(stored, ndjson).enumerated() {
            let fields = records[index + 1]
            let at = "position \(record.position)"
            #expect(fields.count == InterchangeExporter.columns.count, "\(at)")
            for (column, field) in zip(InterchangeExporter.columns, fields) {
                let value = column == "data" ? (line["data"] ?? line["payload"]) : line[column]
                let expected: String = switch value {
                case nil: ""
                case .string(let text)?: text
                case .number(let number)?: number.text
                case let other?: other.serialized
                }
                #expect(field == expected, "\(at), \(column)")
            }
            if try Self.builtIn(record) != nil {
                let data = fields[InterchangeExporter.columns.firstIndex(of: "data") ?? 0]
                #expect(try JSONParser.parse(data) == line["data"], "\(at): the data column is the line's data JSON")
            }
        }
        // Quoting as written: the data of the start, the goal's title with its quotes and comma.
        #expect(text.contains(",\"{\"\"mentor\"\":\"\"\(fx.mentor.uuidString.lowercased())\"\","))
        #expect(text.contains("\"\"title\"\":\"\"Ship \\\"\"it\\\"\", finally\"\""))
        // The user-defined event's payload is plain hex, unquoted.
        let milestone = try #require(stored.firstIndex { $0.eventType == MilestoneReached.eventType })
        #expect(records[milestone + 1][InterchangeExporter.columns.firstIndex(of: "data") ?? 0] == Self.string(ndjson[milestone], "payload"))
        // Absent optionals are empty fields.
        #expect(records[1][InterchangeExporter.columns.firstIndex(of: "correlationID") ?? 0] == "")
        #expect(records[2][InterchangeExporter.columns.firstIndex(of: "correlationID") ?? 0] == fx.correlation.uuidString.lowercased())
    }

    @Test("CSV ranges write the header and the selected records")
    func csvRange() throws {
        let fx = try Fixture()
        var exporter = InterchangeExporter(format: .csv)
        exporter.from = 2
        exporter.through = 3
        let (text, written, _) = try fx.export(exporter)
        let records = try #require(CSVFieldTests.parse(text))
        #expect(written == 2)
        #expect(records.map(\.first) == ["position", "2", "3"])
        exporter.from = 10
        let empty = try #require(CSVFieldTests.parse(try fx.export(exporter).text))
        #expect(empty == [InterchangeExporter.columns], "the header even when nothing is selected")
    }

    @Test("CSV stays RFC 4180 when a text holds a quote followed by a combining mark")
    func csvQuoteBeforeCombiningMark() throws {
        let comment = "She said \"\u{301}bravo\u{301}\" twice"
        let fx = try Fixture(comment: comment)
        let text = try fx.export(InterchangeExporter(format: .csv)).text
        let ndjson = try fx.lines()
        let feedback = try #require(try fx.stored().firstIndex { $0.eventType == FeedbackGiven.eventType })
        guard let records = CSVFieldTests.parse(text) else {
            Issue.record("the CSV export is not RFC 4180")
            return
        }
        let data = records[feedback + 1][InterchangeExporter.columns.firstIndex(of: "data") ?? 0]
        #expect((try? JSONParser.parse(data)) == ndjson[feedback]["data"])
    }
}
