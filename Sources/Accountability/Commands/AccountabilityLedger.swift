public import EventLedger
public import Foundation

/// Records mentorship events on a ``Ledger``, each checked against its mentorship's current state
/// (rebuilt from the stream) and the authorisation rules before anything is appended.
///
/// ```swift
/// let ledger = try Ledger(directory: url, registry: try .accountability())
/// let log = AccountabilityLedger(ledger: ledger, admins: ProgramAdmins(byProgram: [program: [admin]]))
/// try log.record(MentorshipCommand(GoalSet(...), mentorship: id, by: mentee, at: now))
/// ```
///
/// Concurrent writers are safe: each append expects the revision the state was built at, and a
/// command that lost the race is checked again against the new state (up to
/// ``maximumAttempts`` times).
public final class AccountabilityLedger: Sendable {
    /// The underlying ledger.
    public let ledger: Ledger
    /// Who administers which program.
    public let admins: ProgramAdmins
    /// How often a command is re-checked after losing an append race.
    public let maximumAttempts: Int

    /// Wraps `ledger`, which must have the built-in event types registered
    /// (``EventTypeRegistry/accountability()`` or ``EventTypeRegistry/registerAccountabilityEvents()``).
    public init(ledger: Ledger, admins: ProgramAdmins = .none, maximumAttempts: Int = 8) {
        self.ledger = ledger
        self.admins = admins
        self.maximumAttempts = max(1, maximumAttempts)
    }

    /// The state of `mentorship`, folded from its stream. Events of types that are not built in
    /// (a user's own) are skipped by the fold but count towards the revision.
    public func state(of mentorship: UUID) throws -> MentorshipState {
        try ledger.read { reader in try Self.state(of: mentorship, in: reader) }
    }

    /// Folds `mentorship`'s stream inside an open read.
    public static func state(of mentorship: UUID, in reader: LedgerReader) throws -> MentorshipState {
        var state = MentorshipState(mentorship: mentorship)
        try reader.forEach(.stream(MentorshipStream.name(of: mentorship))) { record in
            if let event = try AccountabilityEvent.decode(record, in: reader) {
                state.apply(event, occurredAt: record.occurredAt)
            }
            state.revision = record.streamRevision
        }
        return state
    }

    /// Checks and records one command.
    ///
    /// - Throws: ``AccountabilityError`` naming the rule and field when the command is rejected;
    ///   ``LedgerError`` for storage failures or an id stored with other content. Nothing is
    ///   written in either case.
    @discardableResult
    public func record(_ command: MentorshipCommand) throws -> AppendResult {
        try record([command])[0]
    }

    /// Checks and records several commands atomically: all are appended, or none. Commands on the
    /// same mentorship are checked in order, each against the state the previous ones leave.
    ///
    /// - Returns: one result per mentorship, in order of first appearance.
    @discardableResult
    public func record(_ commands: [MentorshipCommand]) throws -> [AppendResult] {
        var attempt = 1
        while true {
            let batches = try prepare(commands)
            do {
                return try ledger.append(batches)
            } catch let error as LedgerError where error.code == .wrongExpectedRevision && attempt < maximumAttempts {
                attempt += 1
            }
        }
    }

    /// Checks and records several commands atomically; see the synchronous overload.
    @discardableResult
    public func record(_ commands: [MentorshipCommand]) async throws -> [AppendResult] {
        var attempt = 1
        while true {
            let batches = try prepare(commands)
            do {
                return try await ledger.append(batches)
            } catch let error as LedgerError where error.code == .wrongExpectedRevision && attempt < maximumAttempts {
                attempt += 1
            }
        }
    }

    /// Checks and records one command; see the synchronous overload.
    @discardableResult
    public func record(_ command: MentorshipCommand) async throws -> AppendResult {
        try await record([command])[0]
    }

    /// Builds the stream appends for `commands`, each checked against its mentorship's state.
    private func prepare(_ commands: [MentorshipCommand]) throws -> [StreamAppend] {
        guard !commands.isEmpty else {
            throw LedgerError(.invalidRequest, "record needs at least one command; nothing was written")
        }
        return try ledger.read { reader in
            // A retry of commands already stored goes straight to the ledger, which returns the
            // original positions (or reports an id stored with other content).
            let stored = try commands.filter { try reader.position(ofEventID: $0.id) != nil }.count
            var order: [UUID] = []
            var expected: [UUID: ExpectedRevision] = [:]
            var states: [UUID: MentorshipState] = [:]
            var events: [UUID: [ProposedEvent]] = [:]
            for command in commands {
                if states[command.mentorship] == nil {
                    let state = try Self.state(of: command.mentorship, in: reader)
                    states[command.mentorship] = state
                    expected[command.mentorship] = state.revision.map { .revision($0) } ?? .noStream
                    order.append(command.mentorship)
                }
                if stored == 0, var state = states[command.mentorship] {
                    try MentorshipRules.check(command.event, by: command.actor, at: command.occurredAt, against: state, admins: admins)
                    state.apply(command.event, occurredAt: command.occurredAt)
                    states[command.mentorship] = state
                }
                events[command.mentorship, default: []].append(try command.proposedEvent())
            }
            return order.map { mentorship in
                // The revision each state was folded at, so a concurrent append is noticed.
                StreamAppend(stream: MentorshipStream.name(of: mentorship),
                             expectedRevision: stored == 0 ? expected[mentorship] ?? .any : .any,
                             events: events[mentorship] ?? [])
            }
        }
    }
}
