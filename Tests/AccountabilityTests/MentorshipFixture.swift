import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// A real ``Ledger`` in a fresh temporary directory, wrapped in an ``AccountabilityLedger``, with a
/// fixed cast: one mentorship (started at day 0 unless asked otherwise), its mentor and mentee, an
/// outsider, the program's admin, an admin of another program and a global system account.
///
/// Times are days after a fixed epoch (2026-01-01T00:00:00Z): ``day(_:)``.
final class MentorshipFixture: Sendable {
    /// 2026-01-01T00:00:00Z.
    static let epoch = Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000)

    /// The epoch plus `days`.
    static func day(_ days: Double) -> Timestamp {
        epoch.adding(seconds: days * 86_400)
    }

    let directory: TemporaryDirectory
    let clock: ManualClock
    let ledger: Ledger
    let log: AccountabilityLedger

    /// The mentorship most tests work on.
    let mentorship: UUID
    /// Its program.
    let program: UUID
    /// A program the mentorship does not belong to.
    let otherProgram: UUID
    let mentor: UUID
    let mentee: UUID
    /// Neither a participant nor an admin.
    let outsider: UUID
    /// Admin of ``program`` (by program).
    let admin: UUID
    /// Admin of ``otherProgram`` only.
    let otherProgramAdmin: UUID
    /// A global admin (the host's automation account).
    let system: UUID

    /// - Parameters:
    ///   - started: records MentorshipStarted (by the mentor, at day 0) for ``mentorship``.
    ///   - maximumAttempts: passed to the ``AccountabilityLedger``.
    init(started: Bool = true, maximumAttempts: Int = 8) throws {
        let program = UUID()
        let otherProgram = UUID()
        let admin = UUID()
        let otherProgramAdmin = UUID()
        let system = UUID()
        directory = try TemporaryDirectory("accountability")
        clock = ManualClock(Self.epoch)
        var options = LedgerOptions()
        options.clock = clock
        ledger = try Ledger(directory: directory.child("ledger"), registry: try EventTypeRegistry.accountability(), options: options)
        log = AccountabilityLedger(
            ledger: ledger,
            admins: ProgramAdmins(global: [system], byProgram: [program: [admin], otherProgram: [otherProgramAdmin]]),
            maximumAttempts: maximumAttempts)
        self.mentorship = UUID()
        self.program = program
        self.otherProgram = otherProgram
        self.mentor = UUID()
        self.mentee = UUID()
        self.outsider = UUID()
        self.admin = admin
        self.otherProgramAdmin = otherProgramAdmin
        self.system = system
        if started {
            try startMentorship()
        }
    }

    deinit {
        ledger.close()
    }

    /// The epoch plus `days`.
    func day(_ days: Double) -> Timestamp { Self.day(days) }

    /// The cast, for parameterised tests.
    enum Party: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case mentor, mentee, outsider, admin, otherProgramAdmin, system
        var testDescription: String { rawValue }
    }

    /// The id of `party`.
    func id(of party: Party) -> UUID {
        switch party {
        case .mentor: mentor
        case .mentee: mentee
        case .outsider: outsider
        case .admin: admin
        case .otherProgramAdmin: otherProgramAdmin
        case .system: system
        }
    }

    // MARK: - Events

    /// MentorshipStarted for `mentorship` (default ``mentorship``) between ``mentor`` and ``mentee``.
    func started(_ mentorship: UUID? = nil, mentor: UUID? = nil, mentee: UUID? = nil, program: UUID? = nil,
                 cadenceDays: Int = 7, plannedEnd: Timestamp? = MentorshipFixture.day(180)) -> MentorshipStarted {
        MentorshipStarted(mentorship: mentorship ?? self.mentorship, mentor: mentor ?? self.mentor, mentee: mentee ?? self.mentee,
                          program: program ?? self.program, cadenceDays: cadenceDays, plannedEnd: plannedEnd)
    }

    /// The metric of a typical goal: 0 → 10 merged PRs.
    static let metric = GoalMetric(name: "merged pull requests", unit: "PRs", baseline: 0, target: 10)

    /// A valid SMART goal owned by the mentee, due at day 60.
    func goalSet(_ goal: UUID = UUID(), owner: UUID? = nil, title: String = "Ship the onboarding service",
                 metric: GoalMetric = MentorshipFixture.metric, mentorAgreed: Bool = true,
                 rationale: String = "Owning a service end to end is the next step to senior",
                 deadline: Timestamp = MentorshipFixture.day(60)) -> GoalSet {
        GoalSet(goal: goal, owner: owner ?? mentee, title: title, metric: metric, mentorAgreed: mentorAgreed,
                rationale: rationale, deadline: deadline)
    }

    /// A session planned for day 3, 60 minutes.
    func sessionScheduled(_ session: UUID = UUID(), for scheduledFor: Timestamp = MentorshipFixture.day(3),
                          plannedMinutes: Int = 60) -> SessionScheduled {
        SessionScheduled(session: session, scheduledFor: scheduledFor, plannedMinutes: plannedMinutes)
    }

    /// A session held for 60 minutes by both participants.
    func sessionHeld(_ session: UUID = UUID(), minutes: Int = 60, attendees: [UUID]? = nil, goals: [UUID] = []) -> SessionHeld {
        SessionHeld(session: session, minutes: minutes, attendees: attendees ?? [mentor, mentee], goals: goals)
    }

    /// A task for the mentee, due at day 10.
    func taskAssigned(_ task: UUID = UUID(), assignee: UUID? = nil, due: Timestamp = MentorshipFixture.day(10),
                      goal: UUID? = nil) -> TaskAssigned {
        TaskAssigned(task: task, assignee: assignee ?? mentee, due: due, goal: goal)
    }

    /// Feedback from the mentee to the mentor, rated 4.
    func feedback(from: UUID? = nil, to: UUID? = nil, rating: Int = 4, session: UUID? = nil, comment: String? = nil) -> FeedbackGiven {
        FeedbackGiven(from: from ?? mentee, to: to ?? mentor, rating: rating, session: session, comment: comment)
    }

    // MARK: - Commands

    /// A command recorded by `actor` (default the mentor) at day `days` on `mentorship` (default
    /// ``mentorship``).
    func command(_ event: some AccountabilityEventType, by actor: UUID? = nil, at days: Double,
                 on mentorship: UUID? = nil, id: UUID = UUID()) -> MentorshipCommand {
        command(event, by: actor, at: day(days), on: mentorship, id: id)
    }

    /// A command recorded by `actor` (default the mentor) at `time`.
    func command(_ event: some AccountabilityEventType, by actor: UUID? = nil, at time: Timestamp,
                 on mentorship: UUID? = nil, id: UUID = UUID()) -> MentorshipCommand {
        MentorshipCommand(event, mentorship: mentorship ?? self.mentorship, by: actor ?? mentor, at: time, id: id)
    }

    /// Records `event` (by the mentor unless told) and returns the result.
    @discardableResult
    func record(_ event: some AccountabilityEventType, by actor: UUID? = nil, at days: Double,
                on mentorship: UUID? = nil) throws -> AppendResult {
        try log.record(command(event, by: actor, at: days, on: mentorship))
    }

    /// Starts `mentorship` (default ``mentorship``) at day `days`, recorded by the mentor.
    func startMentorship(_ mentorship: UUID? = nil, at days: Double = 0) throws {
        try record(started(mentorship), at: days, on: mentorship)
    }

    /// Sets a valid goal at day `days` and returns its id.
    @discardableResult
    func setGoal(at days: Double = 1, deadline: Double = 60, on mentorship: UUID? = nil) throws -> UUID {
        let goal = UUID()
        try record(goalSet(goal, deadline: day(deadline)), by: mentee, at: days, on: mentorship)
        return goal
    }

    /// Schedules a session at day `days` for day `scheduledFor` and returns its id.
    @discardableResult
    func scheduleSession(at days: Double = 1, for scheduledFor: Double = 3, on mentorship: UUID? = nil) throws -> UUID {
        let session = UUID()
        try record(sessionScheduled(session, for: day(scheduledFor)), at: days, on: mentorship)
        return session
    }

    /// Holds `session` (an ad-hoc one by default) at day `days` and returns its id.
    @discardableResult
    func holdSession(_ session: UUID = UUID(), at days: Double = 3, goals: [UUID] = [], on mentorship: UUID? = nil) throws -> UUID {
        try record(sessionHeld(session, goals: goals), at: days, on: mentorship)
        return session
    }

    /// Assigns a task to the mentee at day `days`, due at day `due`, and returns its id.
    @discardableResult
    func assignTask(at days: Double = 1, due: Double = 10, goal: UUID? = nil, on mentorship: UUID? = nil) throws -> UUID {
        let task = UUID()
        try record(taskAssigned(task, due: day(due), goal: goal), at: days, on: mentorship)
        return task
    }

    // MARK: - Observations

    /// The stream revision of `mentorship` (default ``mentorship``); `nil` when it has no events.
    func revision(of mentorship: UUID? = nil) throws -> UInt64? {
        let name = MentorshipStream.name(of: mentorship ?? self.mentorship)
        return try ledger.read { try $0.streamRevision(of: name) }
    }

    /// The state of `mentorship` (default ``mentorship``).
    func state(of mentorship: UUID? = nil) throws -> MentorshipState {
        try log.state(of: mentorship ?? self.mentorship)
    }

    /// The stored events of `mentorship` (default ``mentorship``).
    func storedEvents(of mentorship: UUID? = nil) throws -> [RecordedEvent] {
        try ledger.events(.stream(MentorshipStream.name(of: mentorship ?? self.mentorship)))
    }

    // MARK: - Expectations

    /// Records `command`, expects it accepted as one new event, and returns the result.
    @discardableResult
    func expectAccepted(_ command: MentorshipCommand, sourceLocation: SourceLocation = #_sourceLocation) throws -> AppendResult {
        let before = try revision(of: command.mentorship)
        let result = try log.record(command)
        #expect(!result.wasAlreadyStored, sourceLocation: sourceLocation)
        #expect(result.revision == before.map { $0 + 1 } ?? 0, "one event appended", sourceLocation: sourceLocation)
        #expect(result.positions.count == 1, sourceLocation: sourceLocation)
        return result
    }

    /// Expects `command` to be rejected with exactly `rule` and `field`, naming the command's
    /// mentorship, and nothing to be written (head position and hash, and the stream's revision,
    /// unchanged).
    func expectRejected(_ command: MentorshipCommand, rule: AccountabilityRule, field: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectRejected(batch: [command], rule: rule, field: field, mentorship: command.mentorship, sourceLocation: sourceLocation)
    }

    /// Expects the batch `commands` to be rejected with exactly `rule` and `field` naming
    /// `mentorship` (default: the last command's), and nothing of the batch to be written.
    func expectRejected(batch commands: [MentorshipCommand], rule: AccountabilityRule, field: String, mentorship: UUID? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let headBefore = try ledger.head()
        let mentorships = Array(Set(commands.map(\.mentorship)))
        let revisionsBefore = try mentorships.map { try revision(of: $0) }
        let expectedMentorship = mentorship ?? commands.last?.mentorship
        do {
            try log.record(commands)
            Issue.record("expected \(rule.name) (\(field)), but the command was accepted", sourceLocation: sourceLocation)
        } catch let error as AccountabilityError {
            #expect(error.rule == rule, "rule: \(error)", sourceLocation: sourceLocation)
            #expect(error.field == field, "field: \(error)", sourceLocation: sourceLocation)
            #expect(error.mentorship == expectedMentorship, "mentorship: \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected AccountabilityError \(rule.name) (\(field)), got \(error)", sourceLocation: sourceLocation)
        }
        let headAfter = try ledger.head()
        #expect(headAfter.position == headBefore.position, "nothing written (position)", sourceLocation: sourceLocation)
        #expect(headAfter.hash == headBefore.hash, "nothing written (hash)", sourceLocation: sourceLocation)
        let revisionsAfter = try mentorships.map { try revision(of: $0) }
        #expect(revisionsAfter == revisionsBefore, "stream revisions unchanged", sourceLocation: sourceLocation)
        for command in commands {
            let stored = try ledger.read { try $0.position(ofEventID: command.id) }
            #expect(stored == nil, "event \(command.id) not stored", sourceLocation: sourceLocation)
        }
    }
}
