// A tour of the ledger kernel: define an event type, append to streams, read them back,
// travel in time, verify the hash chain. Uses only the public API of EventLedger.
import EventLedger
import Foundation

/// A custom event: a mentee reached a milestone.
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

    func validate() throws {
        if title.isEmpty { throw LedgerError(.invalidEvent, "MilestoneReached.title must not be empty") }
    }
}

do {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-tour-\(UUID().uuidString)")
    var registry = EventTypeRegistry()
    try registry.register(MilestoneReached.self)
    let clock = ManualClock(Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000)) // 2026-01-01
    var options = LedgerOptions()
    options.clock = clock
    let ledger = try Ledger(directory: directory, registry: registry, options: options)
    print("ledger \(ledger.ledgerID) at \(directory.path)")

    let mentees = (0..<3).map { _ in UUID() }
    for week in 0..<4 {
        clock.advance(seconds: 7 * 86_400)
        for (index, mentee) in mentees.enumerated() where (week + index) % 2 == 0 {
            let event = try ProposedEvent(MilestoneReached(mentee: mentee, title: "week \(week + 1) milestone"), actor: mentee)
            let result = try ledger.append([event], to: "mentorship/\(index)")
            print("  appended \(MilestoneReached.eventType) to mentorship/\(index) at position \(result.positions.lowerBound), revision \(result.revision ?? 0)")
        }
    }

    // Read one stream, decoding in place.
    try ledger.read { reader in
        print("mentorship/0:")
        try reader.forEach(.stream("mentorship/0")) { record in
            let milestone = try reader.decode(record, as: MilestoneReached.self)
            print("  #\(record.position) r\(record.streamRevision) \(record.recordedAt): \(milestone.title)")
        }
    }

    // Time travel: what had been recorded by the end of week 2?
    let asOf = Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000).adding(seconds: 14 * 86_400)
    let known = try ledger.events(.all().recorded(upTo: asOf))
    print("as of \(asOf): \(known.count) events")

    // A wrong expected revision is refused, naming the stream and both revisions.
    do {
        try ledger.append([try ProposedEvent(MilestoneReached(mentee: mentees[0], title: "late"))], to: "mentorship/0", expecting: .revision(0))
    } catch let error as LedgerError {
        print("refused: \(error.message)")
    }

    let report = try ledger.verify()
    print("verify: \(report.isIntact ? "intact" : "FAULT \(String(describing: report.firstFault))"), \(report.eventsChecked) events, head \(report.head.hash)")
    ledger.close()
    try FileManager.default.removeItem(at: directory)
} catch {
    FileHandle.standardError.write(Data("KernelTour failed: \(error)\n".utf8))
    exit(1)
}
