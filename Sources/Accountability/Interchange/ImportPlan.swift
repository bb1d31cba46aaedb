import EventLedger
import Foundation

/// The appends of an import, every line checked: what ``InterchangeImporter`` commits.
struct ImportPlan {
    var batches: [StreamAppend] = []
    var eventCount = 0
    var alreadyStored = 0

    /// Checks every line against the ledger on one snapshot: ids, then the rules, in file order.
    static func check(_ lines: [(line: Int, command: MentorshipCommand)], log: AccountabilityLedger,
                      progress: ((InterchangeImporter.Progress) -> Void)?) throws -> ImportPlan {
        try log.ledger.read { reader in
            var plan = ImportPlan()
            var order: [UUID] = []
            var states: [UUID: MentorshipState] = [:]
            var expected: [UUID: ExpectedRevision] = [:]
            var events: [UUID: [ProposedEvent]] = [:]
            var seen: [UUID: (line: Int, command: MentorshipCommand)] = [:]
            for (index, entry) in lines.enumerated() {
                if index % 8192 == 0 { progress?(.checking(done: index, of: lines.count)) }
                let (line, command) = entry
                if let earlier = seen[command.id] {
                    guard earlier.command == command else {
                        throw InterchangeError(line: line, field: "id", "\(command.id.uuidString.lowercased()) is already used on line \(earlier.line) by another event")
                    }
                    plan.alreadyStored += 1
                    continue
                }
                seen[command.id] = entry
                let proposed: ProposedEvent
                do {
                    proposed = try command.proposedEvent()
                } catch let error as AccountabilityError {
                    throw Self.rejection(error, line: line)
                }
                if let position = try reader.position(ofEventID: command.id) {
                    try Self.checkStored(proposed, command, at: position, line: line, reader: reader)
                    plan.alreadyStored += 1
                    continue
                }
                var state: MentorshipState
                if let known = states[command.mentorship] {
                    state = known
                } else {
                    state = try AccountabilityLedger.state(of: command.mentorship, in: reader)
                    expected[command.mentorship] = state.revision.map { .revision($0) } ?? .noStream
                    order.append(command.mentorship)
                }
                do {
                    try MentorshipRules.check(command.event, by: command.actor, at: command.occurredAt, against: state, admins: log.admins)
                } catch let error as AccountabilityError {
                    throw Self.rejection(error, line: line)
                }
                state.apply(command.event, occurredAt: command.occurredAt)
                states[command.mentorship] = state
                events[command.mentorship, default: []].append(proposed)
                plan.eventCount += 1
            }
            progress?(.checking(done: lines.count, of: lines.count))
            plan.batches = order.compactMap { mentorship in
                guard let list = events[mentorship], !list.isEmpty else { return nil }
                return StreamAppend(stream: MentorshipStream.name(of: mentorship), expectedRevision: expected[mentorship] ?? .any, events: list)
            }
            return plan
        }
    }

    /// A line rejected by a rule, naming the line and the field as written in the file.
    static func rejection(_ error: AccountabilityError, line: Int) -> InterchangeError {
        let envelopeFields: Set<String> = ["actor", "occurredAt", "event", "mentorship", "id", "type", "stream"]
        let field = envelopeFields.contains(error.field) ? error.field : "data.\(error.field)"
        return InterchangeError(line: line, field: field, "\(error.message) (rule \(error.rule))")
    }

    /// An id already in the ledger: the same event is a retry, another one an error.
    static func checkStored(_ proposed: ProposedEvent, _ command: MentorshipCommand, at position: UInt64, line: Int, reader: LedgerReader) throws {
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
        if let difference {
            throw InterchangeError(line: line, field: "id", "\(command.id.uuidString.lowercased()) is already stored at position \(position) with another \(difference)")
        }
    }
}
