import Accountability
import EventLedger
import Foundation
import PropertyBased
import Testing

/// ``InterchangeLine``: one line of the interchange format read into a ``MentorshipCommand`` and
/// written back. Every built-in type and every simulated command round-trips; each malformed line
/// is rejected naming the field at fault by its full path.
@Suite("InterchangeLine")
struct InterchangeLineTests {
    // MARK: - Fixed cast

    /// A UUID whose first and last byte are `n`: readable in failure messages.
    static func id(_ n: UInt8) -> UUID {
        UUID(uuid: (0x6F, 0x1C, 0x00, n, 0x00, 0x00, 0x40, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, n))
    }

    static let mentorship = id(1)
    static let mentor = id(2)
    static let mentee = id(3)
    static let program = id(4)
    static let goal = id(5)
    static let session = id(6)
    static let task = id(7)
    static let admin = id(8)
    /// 2026-03-01T15:00:00.123457Z: microseconds that a millisecond format would lose.
    static let time = Timestamp(microsecondsSinceEpoch: 1_772_377_200_123_457)
    /// 1969-12-31T23:59:59.999999Z: before the epoch, a negative microsecond count.
    static let beforeEpoch = Timestamp(microsecondsSinceEpoch: -1)

    /// Text that needs escaping in JSON: quotes, a backslash, line breaks, a tab, a control
    /// character, NUL, combining marks, a ZWJ emoji sequence and CJK.
    static let tricky = "Say \"hi\" \\ to \"them\"\nline two\r\n\ttabbed \u{1} nul:\u{0} e\u{301} é 🎉👨‍👩‍👧 日本語"

    /// Every built-in type with its variants: optional fields present and absent, every enum case.
    static let samples: [String: [AccountabilityEvent]] = {
        let started = MentorshipStarted(mentorship: mentorship, mentor: mentor, mentee: mentee, program: program,
                                        cadenceDays: 14, plannedEnd: time.adding(seconds: 180 * 86_400))
        var startedMinimal = started
        startedMinimal.plannedEnd = nil
        let metric = GoalMetric(name: "weekly \"merged\" PRs", unit: "PRs/wk", baseline: 0.5, target: -1.25e-7)
        let goalSet = GoalSet(goal: goal, owner: mentee, title: tricky, metric: metric, mentorAgreed: true,
                              rationale: "Grow into a reviewer role 🚀", deadline: time.adding(seconds: 90 * 86_400))
        var goalSetDisagreed = goalSet
        goalSetDisagreed.mentorAgreed = false
        goalSetDisagreed.metric = GoalMetric(name: "n", unit: "u", baseline: -1e300, target: 1.7976931348623157e308)
        return [
            MentorshipStarted.eventType: [.mentorshipStarted(started), .mentorshipStarted(startedMinimal)],
            MentorshipPaused.eventType: [
                .mentorshipPaused(MentorshipPaused(reason: tricky, until: time.adding(seconds: 0.000001))),
                .mentorshipPaused(MentorshipPaused(reason: "Vacances d'été ☀️")),
            ],
            MentorshipResumed.eventType: [.mentorshipResumed(MentorshipResumed())],
            MentorshipEnded.eventType: zip(EndedBy.allCases, EndReason.allCases).map {
                .mentorshipEnded(MentorshipEnded(endedBy: $0, reason: $1))
            },
            GoalSet.eventType: [.goalSet(goalSet), .goalSet(goalSetDisagreed)],
            GoalRevised.eventType: [
                .goalRevised(GoalRevised(goal: goal, reason: tricky, target: 3, deadline: beforeEpoch)),
                .goalRevised(GoalRevised(goal: goal, reason: "easier", target: 0.1)),
                .goalRevised(GoalRevised(goal: goal, reason: "later", deadline: time)),
            ],
            GoalProgressRecorded.eventType: [
                .goalProgressRecorded(GoalProgressRecorded(goal: goal, value: -2.25, note: tricky)),
                .goalProgressRecorded(GoalProgressRecorded(goal: goal, value: .leastNonzeroMagnitude)),
            ],
            GoalAchieved.eventType: [
                .goalAchieved(GoalAchieved(goal: goal, finalValue: 1e9)),
                .goalAchieved(GoalAchieved(goal: goal)),
            ],
            GoalAbandoned.eventType: [.goalAbandoned(GoalAbandoned(goal: goal, reason: "目標を変更"))],
            SessionScheduled.eventType: [
                .sessionScheduled(SessionScheduled(session: session, scheduledFor: time, plannedMinutes: 60)),
            ],
            SessionHeld.eventType: [
                .sessionHeld(SessionHeld(session: session, minutes: 720, attendees: [mentor, mentee], goals: [goal, id(0x15)])),
                .sessionHeld(SessionHeld(session: session, minutes: 1, attendees: [mentee])),
            ],
            SessionCancelled.eventType: [
                .sessionCancelled(SessionCancelled(session: session, cancelledBy: mentor, reason: tricky)),
            ],
            SessionMissed.eventType: AbsentParty.allCases.map { .sessionMissed(SessionMissed(session: session, absent: $0)) },
            TaskAssigned.eventType: [
                .taskAssigned(TaskAssigned(task: task, assignee: mentee, due: time, goal: goal)),
                .taskAssigned(TaskAssigned(task: task, assignee: mentee, due: beforeEpoch)),
            ],
            TaskCompleted.eventType: [
                .taskCompleted(TaskCompleted(task: task, evidence: "https://example.com/pr/1?a=1&b=\"2\"")),
                .taskCompleted(TaskCompleted(task: task)),
            ],
            TaskCancelled.eventType: [.taskCancelled(TaskCancelled(task: task, reason: "No longer relevant"))],
            FeedbackGiven.eventType: [
                .feedbackGiven(FeedbackGiven(from: mentee, to: mentor, rating: 5, session: session, comment: tricky)),
                .feedbackGiven(FeedbackGiven(from: mentor, to: mentee, rating: 1)),
            ],
            NudgeSent.eventType: NudgeRule.allCases.map { .nudgeSent(NudgeSent(rule: $0, subject: mentorship, recipient: admin)) },
        ]
    }()

    /// `event` as a command on ``mentorship``, with or without correlation and causation ids.
    static func command(_ event: AccountabilityEvent, at time: Timestamp = time, linked: Bool) -> MentorshipCommand {
        var command = MentorshipCommand(event: event, mentorship: mentorship, by: mentor, at: time, id: id(0x99))
        if linked {
            command.correlationID = id(0xC0)
            command.causationID = id(0xCA)
        }
        return command
    }

    /// The object `value` holds, if it is one.
    static func object(_ value: JSONValue?) -> JSONObject? {
        guard case .object(let object)? = value else { return nil }
        return object
    }

    /// The line of `command`, as a file would hold it.
    static func text(_ command: MentorshipCommand) -> String {
        JSONValue.object(InterchangeLine.object(for: command)).serialized
    }

    // MARK: - Round trips

    @Test("the samples cover every one of the 18 built-in types")
    func samplesCoverEveryType() {
        #expect(AccountabilityEvent.typeNames.count == 18)
        #expect(Set(Self.samples.keys) == Set(AccountabilityEvent.typeNames))
    }

    @Test("every built-in type round-trips through its line: optionals present and absent, linked or not, unicode text",
          arguments: AccountabilityEvent.typeNames)
    func builtInTypeRoundTrips(_ type: String) throws {
        let variants = try #require(Self.samples[type], "no sample of \(type)")
        for event in variants {
            for (time, linked) in [(Self.time, true), (Self.beforeEpoch, false)] {
                let command = Self.command(event, at: time, linked: linked)
                let line = Self.text(command)
                let back = try InterchangeLine.command(from: line)
                #expect(back == command, "\(line)")
                let object = InterchangeLine.object(for: command)
                #expect(object["type"] == .string(type))
                // Absent optionals are left out, never written as null.
                let data = try #require(Self.object(object["data"]), "\(line)")
                #expect(!data.members.contains { $0.value == .null }, "\(line)")
                #expect((object["correlationID"] != nil) == linked)
                #expect((object["causationID"] != nil) == linked)
            }
        }
    }

    @Test("a line holds type, stream, occurredAt, actor, id, the links when present, then data; UUIDs lowercase, times with microseconds")
    func lineLayout() throws {
        let event = AccountabilityEvent.taskAssigned(TaskAssigned(task: Self.task, assignee: Self.mentee, due: Self.time))
        let linked = InterchangeLine.object(for: Self.command(event, linked: true))
        #expect(linked.keys == ["type", "stream", "occurredAt", "actor", "id", "correlationID", "causationID", "data"])
        #expect(linked["stream"] == .string("mentorship/6f1c0001-0000-4000-8000-000000000001"))
        #expect(linked["occurredAt"] == .string("2026-03-01T15:00:00.123457Z"))
        #expect(linked["actor"] == .string("6f1c0002-0000-4000-8000-000000000002"))
        let plain = InterchangeLine.object(for: Self.command(event, linked: false))
        #expect(plain.keys == ["type", "stream", "occurredAt", "actor", "id", "data"])
        // The optional goal is left out of data when absent, written when present.
        #expect(InterchangeLine.data(of: event).keys == ["task", "assignee", "due"])
        let withGoal = AccountabilityEvent.taskAssigned(TaskAssigned(task: Self.task, assignee: Self.mentee, due: Self.time, goal: Self.goal))
        #expect(InterchangeLine.data(of: withGoal).keys == ["task", "assignee", "due", "goal"])
        #expect(InterchangeLine.data(of: withGoal)["goal"] == .string("6f1c0005-0000-4000-8000-000000000005"))
    }

    @Test("any built-in event with arbitrary field values round-trips: full timestamp range, any finite double, any text")
    func arbitraryEventsRoundTrip() async {
        await propertyCheck(count: 200, input: AccountabilityGen.event, AccountabilityGen.timestamp) { event, time in
            // A start's mentorship is its stream's: the line names it once, in `stream`.
            var mentorship = Self.mentorship
            if case .mentorshipStarted(let start) = event { mentorship = start.mentorship }
            var command = MentorshipCommand(event: event, mentorship: mentorship, by: Self.mentee, at: time, id: UUID())
            command.causationID = UUID()
            let line = Self.text(command)
            do {
                let back = try InterchangeLine.command(from: line)
                #expect(back == command, "\(line)")
            } catch {
                Issue.record("\(error) for \(line)")
            }
        }
    }

    @Test("every command of a simulated program round-trips through its line")
    func simulatedCommandsRoundTrip() throws {
        let simulator = try ProgramSimulator(SimulationConfig(seed: 3, mentorships: 40, months: 3))
        var checked = 0
        var types = Set<String>()
        var mismatches: [String] = []
        try simulator.run { day in
            for command in day.commands {
                let line = Self.text(command)
                let back = try InterchangeLine.command(from: line)
                if back != command, mismatches.count < 5 { mismatches.append(line) }
                checked += 1
                types.insert(command.event.eventType)
            }
        }
        #expect(checked > 500)
        #expect(types.count >= 15, "the program exercises most types: \(types.sorted())")
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test("the bytes entry point reads a line like the text one")
    func bytesEntryPoint() throws {
        let command = Self.command(.goalAchieved(GoalAchieved(goal: Self.goal, finalValue: 2.5)), linked: true)
        let bytes = Array(Self.text(command).utf8)
        let back = try bytes.withUnsafeBytes { try InterchangeLine.command(from: $0) }
        #expect(back == command)
    }

    // MARK: - What is accepted

    @Test("the export-only fields are accepted, whatever their values, and ignored")
    func exportOnlyFieldsIgnored() throws {
        #expect(InterchangeLine.ignoredFields == ["position", "revision", "recordedAt", "schemaVersion", "previousHash", "chainHash", "canonical", "payload", "seal"])
        let command = Self.command(.sessionHeld(SessionHeld(session: Self.session, minutes: 45, attendees: [Self.mentee])), linked: true)
        let plain = InterchangeLine.object(for: command)
        let values: [JSONValue] = [.number(7), .string("2026-03-01T15:00:00.000000Z"), .null, .array([.bool(true)]), .object(.empty)]
        for value in values {
            var members = plain.members
            for key in InterchangeLine.ignoredFields.sorted() { members.insert(JSONMember(key: key, value: value), at: 1) }
            let line = JSONValue.object(JSONObject(members)).serialized
            #expect(try InterchangeLine.command(from: line) == command, "\(line)")
        }
    }

    @Test("every member an export writes is either read or ignored by an import")
    func exportColumnsAreImportable() {
        let read: Set<String> = ["type", "stream", "occurredAt", "actor", "id", "correlationID", "causationID", "data"]
        for column in InterchangeExporter.columns {
            #expect(read.contains(column) || InterchangeLine.ignoredFields.contains(column), "\(column)")
        }
    }

    @Test("null is absent for optional fields: plannedEnd, links and id (a new id is generated)")
    func nullOptionals() throws {
        let line = Self.line(MentorshipStarted.eventType, data: #"{"mentor":"\#(Self.mentor.uuidString)","mentee":"\#(Self.mentee.uuidString)","program":"\#(Self.program.uuidString)","cadenceDays":7,"plannedEnd":null}"#,
                             top: #","id":null,"correlationID":null,"causationID":null"#)
        let first = try InterchangeLine.command(from: line)
        let second = try InterchangeLine.command(from: line)
        guard case .mentorshipStarted(let start) = first.event else {
            Issue.record("not a start: \(first.event)")
            return
        }
        #expect(start.plannedEnd == nil)
        #expect(start.mentorship == Self.mentorship, "the start's mentorship comes from the stream")
        #expect(start.cadenceDays == 7)
        #expect(first.correlationID == nil && first.causationID == nil)
        #expect(first.id != second.id, "a line without an id gets a new one each time")

        let optionals = [
            (SessionHeld.eventType, #"{"session":"\#(Self.session.uuidString)","minutes":30,"attendees":["\#(Self.mentee.uuidString)"],"goals":null}"#,
             AccountabilityEvent.sessionHeld(SessionHeld(session: Self.session, minutes: 30, attendees: [Self.mentee]))),
            (SessionHeld.eventType, #"{"session":"\#(Self.session.uuidString)","minutes":30,"attendees":["\#(Self.mentee.uuidString)"],"goals":[]}"#,
             AccountabilityEvent.sessionHeld(SessionHeld(session: Self.session, minutes: 30, attendees: [Self.mentee]))),
            (GoalProgressRecorded.eventType, #"{"goal":"\#(Self.goal.uuidString)","value":-0,"note":null}"#,
             AccountabilityEvent.goalProgressRecorded(GoalProgressRecorded(goal: Self.goal, value: 0))),
            (FeedbackGiven.eventType, #"{"from":"\#(Self.mentee.uuidString)","to":"\#(Self.mentor.uuidString)","rating":4,"session":null,"comment":null}"#,
             AccountabilityEvent.feedbackGiven(FeedbackGiven(from: Self.mentee, to: Self.mentor, rating: 4))),
            (MentorshipResumed.eventType, "null", AccountabilityEvent.mentorshipResumed(MentorshipResumed())),
            (MentorshipResumed.eventType, "{}", AccountabilityEvent.mentorshipResumed(MentorshipResumed())),
        ]
        for (type, data, expected) in optionals {
            #expect(try InterchangeLine.command(from: Self.line(type, data: data)).event == expected, "\(data)")
        }
        // A type without fields may leave data out.
        let resumed = #"{"type":"MentorshipResumed","stream":"mentorship/\#(Self.mentorship.uuidString)","occurredAt":"2026-03-01T15:00:00Z","actor":"\#(Self.mentor.uuidString)"}"#
        #expect(try InterchangeLine.command(from: resumed).event == .mentorshipResumed(MentorshipResumed()))
    }

    @Test("UUIDs may be written in either case; times in any RFC 3339 offset")
    func lenientSpellings() throws {
        let upper = Self.line(TaskCompleted.eventType, data: #"{"task":"\#(Self.task.uuidString.uppercased())"}"#,
                              top: #","id":"\#(Self.id(0x42).uuidString.uppercased())""#,
                              stream: "mentorship/\(Self.mentorship.uuidString.uppercased())", occurredAt: "2026-03-01T20:30:00.5+05:30")
        let command = try InterchangeLine.command(from: upper)
        #expect(command.mentorship == Self.mentorship)
        #expect(command.stream == "mentorship/6f1c0001-0000-4000-8000-000000000001")
        #expect(command.id == Self.id(0x42))
        #expect(command.event == .taskCompleted(TaskCompleted(task: Self.task)))
        #expect(command.occurredAt == Timestamp(microsecondsSinceEpoch: 1_772_377_200_500_000))
    }

    // MARK: - What is rejected

    /// A line of `type` with `data` (JSON text) on ``mentorship``, by ``mentor``; `top` is inserted
    /// before `data` (with its leading comma).
    static func line(_ type: String, data: String, top: String = "", stream: String? = nil,
                     occurredAt: String = "2026-03-01T15:00:00Z") -> String {
        let stream = stream ?? MentorshipStream.name(of: mentorship)
        return #"{"type":"\#(type)","stream":"\#(stream)","occurredAt":"\#(occurredAt)","actor":"\#(mentor.uuidString.lowercased())"\#(top),"data":\#(data)}"#
    }

    static let u = mentee.uuidString.lowercased()
    static let goalSetData = #"{"goal":"\#(u)","owner":"\#(u)","title":"t","metric":{"name":"n","unit":"u","baseline":0,"target":10},"mentorAgreed":true,"rationale":"r","deadline":"2026-06-01T00:00:00Z"}"#

    /// A malformed line and the field its error must name.
    struct BadLine: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let field: String
        /// A part of the reason.
        let reason: String
        var testDescription: String { name }
    }

    static let badLines: [BadLine] = [
        // Nested paths.
        BadLine(name: "GoalSet metric target is a string",
                text: line("GoalSet", data: goalSetData.replacingOccurrences(of: #""target":10"#, with: #""target":"10""#)),
                field: "data.metric.target", reason: "is a string; expected a number"),
        BadLine(name: "GoalSet metric target missing",
                text: line("GoalSet", data: goalSetData.replacingOccurrences(of: #","target":10"#, with: "")),
                field: "data.metric.target", reason: "is missing"),
        BadLine(name: "GoalSet metric is not an object",
                text: line("GoalSet", data: goalSetData.replacingOccurrences(of: #"{"name":"n","unit":"u","baseline":0,"target":10}"#, with: "[]")),
                field: "data.metric", reason: "is an array; expected an object"),
        BadLine(name: "unknown member in data.metric",
                text: line("GoalSet", data: goalSetData.replacingOccurrences(of: #""target":10"#, with: #""target":10,"precision":2"#)),
                field: "data.metric.precision", reason: "is not a field of a goal metric"),
        BadLine(name: "second attendee is not a UUID",
                text: line("SessionHeld", data: #"{"session":"\#(u)","minutes":30,"attendees":["\#(u)","not-a-uuid"]}"#),
                field: "data.attendees[1]", reason: "\"not-a-uuid\" is not a UUID"),
        BadLine(name: "first attendee is a number",
                text: line("SessionHeld", data: #"{"session":"\#(u)","minutes":30,"attendees":[7]}"#),
                field: "data.attendees[0]", reason: "is a number; expected a UUID string"),
        BadLine(name: "attendees is a string",
                text: line("SessionHeld", data: #"{"session":"\#(u)","minutes":30,"attendees":"\#(u)"}"#),
                field: "data.attendees", reason: "is a string; expected an array of UUID strings"),
        BadLine(name: "a goal of a session is a UUID without hyphens",
                text: line("SessionHeld", data: #"{"session":"\#(u)","minutes":30,"attendees":["\#(u)"],"goals":["\#(u.replacingOccurrences(of: "-", with: ""))"]}"#),
                field: "data.goals[0]", reason: "is not a UUID"),
        // Streams.
        BadLine(name: "stream of another kind", text: line("MentorshipResumed", data: "{}", stream: "goal/\(u)"),
                field: "stream", reason: "is not a mentorship stream"),
        BadLine(name: "stream without a UUID", text: line("MentorshipResumed", data: "{}", stream: "mentorship/not-a-uuid"),
                field: "stream", reason: "is not a mentorship stream"),
        BadLine(name: "stream with a suffix", text: line("MentorshipResumed", data: "{}", stream: "mentorship/\(u)/x"),
                field: "stream", reason: "is not a mentorship stream"),
        BadLine(name: "stream prefix only", text: line("MentorshipResumed", data: "{}", stream: "mentorship/"),
                field: "stream", reason: "is not a mentorship stream"),
        // Unknown members.
        BadLine(name: "unknown top-level member", text: line("MentorshipResumed", data: "{}", top: #","colour":"red""#),
                field: "colour", reason: "is not a field of an interchange line"),
        BadLine(name: "misspelt optional top-level member", text: line("MentorshipResumed", data: "{}", top: #","correlationId":"\#(u)""#),
                field: "correlationId", reason: "is not a field of an interchange line"),
        BadLine(name: "unknown member in data", text: line("TaskCancelled", data: #"{"task":"\#(u)","reason":"r","colour":1}"#),
                field: "data.colour", reason: "is not a field of TaskCancelled"),
        BadLine(name: "misspelt optional member in data", text: line("TaskCompleted", data: #"{"task":"\#(u)","evidance":"x"}"#),
                field: "data.evidance", reason: "is not a field of TaskCompleted"),
        BadLine(name: "a field for a type without fields", text: line("MentorshipResumed", data: #"{"reason":"back"}"#),
                field: "data.reason", reason: "is not a field of MentorshipResumed"),
        BadLine(name: "a start names its mentorship in data",
                text: line("MentorshipStarted", data: #"{"mentorship":"\#(u)","mentor":"\#(u)","mentee":"\#(u)","program":"\#(u)","cadenceDays":7}"#),
                field: "data.mentorship", reason: "is not a field of MentorshipStarted"),
        // null and missing required fields.
        BadLine(name: "required data field is null", text: line("SessionHeld", data: #"{"session":"\#(u)","minutes":null,"attendees":["\#(u)"]}"#),
                field: "data.minutes", reason: "is missing; expected a whole number"),
        BadLine(name: "required text is null", text: line("TaskCancelled", data: #"{"task":"\#(u)","reason":null}"#),
                field: "data.reason", reason: "is missing; expected a string"),
        BadLine(name: "required list is null", text: line("SessionHeld", data: #"{"session":"\#(u)","minutes":5,"attendees":null}"#),
                field: "data.attendees", reason: "is missing"),
        BadLine(name: "actor is null", text: line("MentorshipResumed", data: "{}").replacingOccurrences(of: #""actor":"\#(mentor.uuidString.lowercased())""#, with: #""actor":null"#),
                field: "actor", reason: "is missing; expected a UUID string"),
        BadLine(name: "type is missing", text: #"{"stream":"mentorship/\#(u)","occurredAt":"2026-03-01T15:00:00Z","actor":"\#(u)"}"#,
                field: "type", reason: "is missing"),
        BadLine(name: "occurredAt is missing", text: #"{"type":"MentorshipResumed","stream":"mentorship/\#(u)","actor":"\#(u)"}"#,
                field: "occurredAt", reason: "is missing"),
        BadLine(name: "data left out for a type with fields", text: #"{"type":"TaskCompleted","stream":"mentorship/\#(u)","occurredAt":"2026-03-01T15:00:00Z","actor":"\#(u)"}"#,
                field: "data.task", reason: "is missing"),
        BadLine(name: "data is an array", text: line("MentorshipResumed", data: "[]"),
                field: "data", reason: "is an array; expected an object"),
        // Numbers.
        BadLine(name: "a whole number too big for Int", text: line("SessionHeld", data: #"{"session":"\#(u)","minutes":9223372036854775808,"attendees":["\#(u)"]}"#),
                field: "data.minutes", reason: "is 9223372036854775808; expected a whole number"),
        BadLine(name: "a whole number with 30 digits", text: line("FeedbackGiven", data: #"{"from":"\#(u)","to":"\#(u)","rating":123456789012345678901234567890}"#),
                field: "data.rating", reason: "expected a whole number"),
        BadLine(name: "a fraction for a whole number", text: line("SessionScheduled", data: #"{"session":"\#(u)","scheduledFor":"2026-03-02T00:00:00Z","plannedMinutes":1.5}"#),
                field: "data.plannedMinutes", reason: "is 1.5; expected a whole number"),
        BadLine(name: "an exponent for a whole number", text: line("MentorshipStarted", data: #"{"mentor":"\#(u)","mentee":"\#(u)","program":"\#(u)","cadenceDays":1e1}"#),
                field: "data.cadenceDays", reason: "expected a whole number"),
        BadLine(name: "1e400 for a double", text: line("GoalProgressRecorded", data: #"{"goal":"\#(u)","value":1e400}"#),
                field: "data.value", reason: "too large for a 64-bit floating-point number"),
        BadLine(name: "-1e400 for an optional double", text: line("GoalAchieved", data: #"{"goal":"\#(u)","finalValue":-1e400}"#),
                field: "data.finalValue", reason: "too large"),
        BadLine(name: "1e400 for a metric baseline",
                text: line("GoalSet", data: goalSetData.replacingOccurrences(of: #""baseline":0"#, with: #""baseline":1e400"#)),
                field: "data.metric.baseline", reason: "too large"),
        BadLine(name: "a number given as a string", text: line("GoalProgressRecorded", data: #"{"goal":"\#(u)","value":"3"}"#),
                field: "data.value", reason: "is a string; expected a number"),
        // JSON itself.
        BadLine(name: "duplicate top-level key", text: line("MentorshipResumed", data: "{}", top: #","type":"MentorshipPaused""#),
                field: "line", reason: "duplicate key \"type\""),
        BadLine(name: "duplicate key in data", text: line("TaskCancelled", data: #"{"task":"\#(u)","reason":"a","reason":"b"}"#),
                field: "line", reason: "duplicate key \"reason\""),
        BadLine(name: "not JSON", text: #"{"type":"MentorshipResumed","#, field: "line", reason: "is not valid JSON"),
        BadLine(name: "an array, not an object", text: "[1,2]", field: "line", reason: "is an array; expected one JSON object per line"),
        BadLine(name: "a trailing comma", text: line("MentorshipResumed", data: "{}") + ",", field: "line", reason: "is not valid JSON"),
        BadLine(name: "two objects on a line", text: line("MentorshipResumed", data: "{}") + line("MentorshipResumed", data: "{}"),
                field: "line", reason: "is not valid JSON"),
        // Types, choices, booleans, times, ids.
        BadLine(name: "type that is not built in", text: line("SessionRescheduled", data: "{}"),
                field: "type", reason: "\"SessionRescheduled\" is not a built-in event type"),
        BadLine(name: "type in the wrong case", text: line("sessionheld", data: "{}"),
                field: "type", reason: "is not a built-in event type"),
        BadLine(name: "an ending by nobody", text: line("MentorshipEnded", data: #"{"endedBy":"nobody","reason":"completed"}"#),
                field: "data.endedBy", reason: "\"nobody\" is not one of \"mentor\", \"mentee\", \"admin\", \"system\""),
        BadLine(name: "a choice given as its code", text: line("SessionMissed", data: #"{"session":"\#(u)","absent":1}"#),
                field: "data.absent", reason: "is a number; expected one of"),
        BadLine(name: "a boolean given as a string",
                text: line("GoalSet", data: goalSetData.replacingOccurrences(of: #""mentorAgreed":true"#, with: #""mentorAgreed":"yes""#)),
                field: "data.mentorAgreed", reason: "is a string; expected true or false"),
        BadLine(name: "occurredAt on a day that does not exist", text: line("MentorshipResumed", data: "{}", occurredAt: "2026-02-29T10:00:00Z"),
                field: "occurredAt", reason: "is not an RFC 3339 time"),
        BadLine(name: "occurredAt without a time zone", text: line("MentorshipResumed", data: "{}", occurredAt: "2026-03-01T15:00:00"),
                field: "occurredAt", reason: "is not an RFC 3339 time"),
        BadLine(name: "occurredAt with nanoseconds", text: line("MentorshipResumed", data: "{}", occurredAt: "2026-03-01T15:00:00.123456789Z"),
                field: "occurredAt", reason: "more precise than a microsecond"),
        BadLine(name: "a deadline that is not a time",
                text: line("GoalSet", data: goalSetData.replacingOccurrences(of: "2026-06-01T00:00:00Z", with: "next June")),
                field: "data.deadline", reason: "is not an RFC 3339 time"),
        BadLine(name: "a time given as a number", text: line("TaskAssigned", data: #"{"task":"\#(u)","assignee":"\#(u)","due":1772377200}"#),
                field: "data.due", reason: "is a number; expected an RFC 3339 time string"),
        BadLine(name: "a correlation id that is not a UUID", text: line("MentorshipResumed", data: "{}", top: #","correlationID":"abc""#),
                field: "correlationID", reason: "\"abc\" is not a UUID"),
        BadLine(name: "an id given as a number", text: line("MentorshipResumed", data: "{}", top: #","id":12"#),
                field: "id", reason: "is a number; expected a UUID string"),
        BadLine(name: "an id in braces", text: line("MentorshipResumed", data: "{}", top: #","id":"{\#(u)}""#),
                field: "id", reason: "is not a UUID"),
    ]

    @Test("a malformed line is rejected naming the field by its full path", arguments: badLines)
    func malformedLine(_ bad: BadLine) {
        do {
            let command = try InterchangeLine.command(from: bad.text)
            Issue.record("accepted \(bad.text) as \(command)")
        } catch {
            #expect(error.field == bad.field, "\(error) for \(bad.text)")
            #expect(error.reason.contains(bad.reason), "\(error) for \(bad.text)")
            #expect(error.line == nil, "the caller knows the line number")
        }
    }

    @Test("the valid lines the malformed cases are made from are accepted")
    func templatesAreValid() throws {
        // So each malformed case fails for its own mutation, not for a mistake in the template.
        let templates = [
            Self.line("GoalSet", data: Self.goalSetData),
            Self.line("SessionHeld", data: #"{"session":"\#(Self.u)","minutes":30,"attendees":["\#(Self.u)","\#(Self.mentor.uuidString)"],"goals":["\#(Self.u)"]}"#),
            Self.line("MentorshipResumed", data: "{}"),
            Self.line("TaskCancelled", data: #"{"task":"\#(Self.u)","reason":"r"}"#),
            Self.line("MentorshipEnded", data: #"{"endedBy":"system","reason":"inactivity"}"#),
            Self.line("SessionMissed", data: #"{"session":"\#(Self.u)","absent":"both"}"#),
            Self.line("MentorshipStarted", data: #"{"mentor":"\#(Self.u)","mentee":"\#(Self.u)","program":"\#(Self.u)","cadenceDays":10}"#),
            Self.line("GoalProgressRecorded", data: #"{"goal":"\#(Self.u)","value":1e300}"#),
            Self.line("MentorshipResumed", data: "{}", top: #","correlationID":"\#(Self.u)","id":"\#(Self.u)""#),
        ]
        for text in templates {
            #expect(throws: Never.self, "\(text)") { try InterchangeLine.command(from: text) }
        }
    }

    @Test("bytes that are not UTF-8 are rejected as a line that is not JSON")
    func invalidUTF8() {
        var bytes = Array(Self.line("TaskCancelled", data: #"{"task":"\#(Self.u)","reason":"r"}"#).utf8)
        guard let index = bytes.lastIndex(of: UInt8(ascii: "r")) else {
            Issue.record("no 'r' in the line")
            return
        }
        bytes[index] = 0xFF
        do {
            _ = try bytes.withUnsafeBytes { try InterchangeLine.command(from: $0) }
            Issue.record("accepted invalid UTF-8")
        } catch let error as InterchangeError {
            #expect(error.field == "line")
            #expect(error.reason.contains("UTF-8"), "\(error)")
        } catch {
            Issue.record("expected an InterchangeError, got \(error)")
        }
    }
}
