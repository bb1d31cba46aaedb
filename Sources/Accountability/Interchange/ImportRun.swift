import EventLedger
import Foundation

/// The state of one import as it goes through a file, line by line: what the lines so far left
/// (each mentorship's state) and the summary. Every line, already through the file-only checks
/// (``LinePreparer``), is judged by the rules and written inside the caller's bulk append.
struct ImportRun {
    let admins: ProgramAdmins
    let faithful: Bool
    var summary = ImportSummary()
    private var states: [UUID: MentorshipState] = [:]
    private var mentorships = Set<UUID>()
    /// The ledger id of the source's seals (a faithful copy takes it).
    private(set) var sealedLedgerID: UUID?
    /// Where this file's events went: from each `position` on, event `p` came from line
    /// `p + lineOffset` (a new entry only where blank or skipped lines shift the offset, so this
    /// stays small), to name the earlier line of an id the file uses twice.
    private var lines: [(position: UInt64, lineOffset: Int64)] = []

    init(admins: ProgramAdmins, faithful: Bool) {
        self.admins = admins
        self.faithful = faithful
    }

    /// Judges and writes `item`.
    mutating func take(_ item: PreparedLine, into appender: inout BulkAppender) throws {
        let number = item.number
        summary.linesRead = number
        do {
            if faithful {
                try copy(item, into: &appender)
            } else {
                try record(item, into: &appender)
            }
        } catch let error as InterchangeError {
            throw error.at(line: number)
        }
    }

    // MARK: - Checked import

    private mutating func record(_ item: PreparedLine, into appender: inout BulkAppender) throws {
        let number = item.number
        let command: MentorshipCommand
        if let export = item.export {
            command = try Self.command(export.line, export.proof, object: item.object)
        } else {
            command = try InterchangeLine.command(from: item.object)
        }
        let proposed = try Self.judged(line: number) { try command.proposedEvent() }
        let stored = try appender.read { reader -> Bool in
            guard let position = try reader.position(ofEventID: command.id) else { return false }
            try Self.checkStored(proposed, command, at: position, line: number, earlierLine: self.line(of: position), reader: reader)
            return true
        }
        if stored {
            summary.alreadyStored += 1
            return
        }
        var state: MentorshipState
        if let known = states[command.mentorship] {
            state = known
        } else {
            state = try appender.read { try AccountabilityLedger.state(of: command.mentorship, in: $0) }
        }
        let admins = self.admins
        try Self.judged(line: number) { [state] in
            try MentorshipRules.check(command.event, by: command.actor, at: command.occurredAt, against: state, admins: admins)
        }
        let expected: ExpectedRevision = state.revision.map { .revision($0) } ?? .noStream
        let result = try appender.append(proposed, to: command.stream, expecting: expected)
        state.apply(command.event, occurredAt: command.occurredAt)
        if case .ended = state.status {
            // Nothing more may be recorded on an ended mentorship: its goals, sessions and tasks
            // are no longer needed to judge the lines after it.
            state.goals = [:]
            state.sessions = [:]
            state.tasks = [:]
        }
        states[command.mentorship] = state
        note(result.positions.lowerBound, mentorship: command.mentorship)
        let offset = Int64(number) - Int64(result.positions.lowerBound)
        if lines.last?.lineOffset != offset { lines.append((result.positions.lowerBound, offset)) }
    }

    /// The line of this file the event at `position` was appended from, if it was.
    private func line(of position: UInt64) -> Int? {
        guard let first = lines.first, position >= first.position, position <= summary.positions.upperBound - 1 else { return nil }
        var (low, high) = (0, lines.count - 1)
        while low < high {
            let middle = (low + high + 1) / 2
            if lines[middle].position <= position { low = middle } else { high = middle - 1 }
        }
        return Int(Int64(position) + lines[low].lineOffset)
    }

    /// The command of a checked export line: its proved event and envelope, without reading the
    /// line a second time.
    private static func command(_ line: ExportLine, _ proof: ExportLineCheck.Proof, object: JSONObject) throws -> MentorshipCommand {
        guard let event = proof.event, let mentorship = MentorshipStream.mentorship(inStream: line.stream) else {
            // A user's type: the command reader names why it cannot be recorded here.
            return try command(object, position: line.position)
        }
        guard let actor = line.actor else {
            throw InterchangeError(field: "actor", "is missing; a mentorship event is recorded by someone (a UUID)").at(position: line.position)
        }
        var command = MentorshipCommand(event: event, mentorship: mentorship, by: actor, at: line.occurredAt, id: line.id)
        command.correlationID = line.correlationID
        command.causationID = line.causationID
        return command
    }

    private static func command(_ object: JSONObject, position: UInt64) throws -> MentorshipCommand {
        do {
            return try InterchangeLine.command(from: object)
        } catch {
            throw error.at(position: position)
        }
    }

    // MARK: - Faithful copy

    private mutating func copy(_ item: PreparedLine, into appender: inout BulkAppender) throws {
        guard let line = item.export?.line else {
            throw InterchangeError(field: "canonical", "is missing: a faithful import copies an export's records, and this line is not an export line")
        }
        let head = appender.head
        guard line.position == head.position + 1 else {
            throw InterchangeError(field: "position", "is \(line.position); this ledger's next position is \(head.position + 1) (a faithful import starts from position 1, into an empty ledger)").at(position: line.position)
        }
        guard line.previousHash == head.hash else {
            throw InterchangeError(field: "previousHash", "is \(line.previousHash.hex); this ledger's head hash is \(head.hash.hex)").at(position: line.position)
        }
        do {
            try appender.copy(canonical: line.canonical, chainHash: line.chainHash, stream: line.stream, eventType: line.type)
            if let seal = line.seal {
                if let known = sealedLedgerID, known != seal.ledgerID {
                    throw InterchangeError(field: "seal.ledgerID", "is \(UUIDText.lowercase(seal.ledgerID)); an earlier seal is of ledger \(UUIDText.lowercase(known))").at(position: line.position)
                }
                sealedLedgerID = seal.ledgerID
                try appender.store(seal.headSeal(position: line.position, hash: line.chainHash))
            }
        } catch let error as LedgerError {
            throw InterchangeError(field: "canonical", error.message).at(position: line.position)
        }
        note(line.position, mentorship: MentorshipStream.mentorship(inStream: line.stream))
    }

    private mutating func note(_ position: UInt64, mentorship: UUID?) {
        if let mentorship { mentorships.insert(mentorship) }
        summary.mentorships = mentorships.count
        summary.eventsAppended += 1
        let lower = summary.positions.isEmpty ? position : summary.positions.lowerBound
        summary.positions = lower..<position + 1
    }

    // MARK: - Errors

    /// Runs `body`, turning a rule's ``AccountabilityError`` into the line's error.
    private static func judged<T>(line: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AccountabilityError {
            throw rejection(error, line: line)
        }
    }

    /// A line rejected by a rule, naming the line and the field as written in the file.
    static func rejection(_ error: AccountabilityError, line: Int) -> InterchangeError {
        let envelopeFields: Set<String> = ["actor", "occurredAt", "event", "mentorship", "id", "type", "stream"]
        let field = envelopeFields.contains(error.field) ? error.field : "data.\(error.field)"
        return InterchangeError(line: line, field: field, "\(error.message) (rule \(error.rule))")
    }

    /// An id already in the ledger: the same event is a retry, another one an error.
    static func checkStored(_ proposed: ProposedEvent, _ command: MentorshipCommand, at position: UInt64, line: Int, earlierLine: Int?, reader: LedgerReader) throws {
        guard let record = try reader.event(at: position) else { return }
        let stream = try reader.streamName(of: record)
        let type = try reader.eventType(of: record)
        var difference: String?
        if stream != command.stream { difference = "stream (\(stream))" }
        else if type != proposed.eventType { difference = "type (\(type))" }
        else if record.schemaVersion != proposed.schemaVersion || !record.payload.elementsEqual(proposed.payload) {
            // An older schema version of the same event (upcast when read) is the same content.
            if try AccountabilityEvent.decode(record, in: reader) != command.event { difference = "data" }
        }
        else if record.actor != proposed.actor { difference = "actor" }
        else if record.occurredAt != command.occurredAt { difference = "occurredAt" }
        else if record.correlationID != proposed.correlationID || record.causationID != proposed.causationID { difference = "correlation or causation id" }
        if let difference, let earlierLine {
            throw InterchangeError(line: line, field: "id", "\(UUIDText.lowercase(command.id)) is already used on line \(earlierLine) by another event (another \(difference))")
        } else if let difference {
            throw InterchangeError(line: line, field: "id", "\(UUIDText.lowercase(command.id)) is already stored at position \(position) with another \(difference)")
        }
    }
}
