import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// The committed fixture `Tests/Fixtures/session-held-v1/data.mdb`: a real ledger written when
/// SessionHeld was at schema version 1. Everything in it is fixed (ids, times, clock), so its head
/// hash is pinned below.
enum SessionHeldV1Fixture {
    /// `…/Tests/Fixtures/session-held-v1`, found from this file's path.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/session-held-v1", isDirectory: true)
    static var dataFile: URL { directory.appendingPathComponent("data.mdb") }

    /// The chain hash of the fixture's last record. If this changes, the fixture changed.
    static let pinnedHeadHash = "53d4d991d5c846c18994fe46e1fd972169c60d50fc97aa2fb281e5a09bb922b5"

    static let mentorship = AccountabilityGen.fixedUUID(0x11)
    static let mentor = AccountabilityGen.fixedUUID(0x22)
    static let mentee = AccountabilityGen.fixedUUID(0x33)
    static let program = AccountabilityGen.fixedUUID(0x44)
    static let firstSession = AccountabilityGen.fixedUUID(0x55)
    static let secondSession = AccountabilityGen.fixedUUID(0x66)
    static let eventIDs = [AccountabilityGen.fixedUUID(0xE1), AccountabilityGen.fixedUUID(0xE2), AccountabilityGen.fixedUUID(0xE3)]
    static var stream: String { MentorshipStream.name(of: mentorship) }

    /// 2025-06-02T09:00:00Z: the mentorship starts; sessions follow after 7 and 14 days.
    static let start = Timestamp(microsecondsSinceEpoch: 1_748_854_800_000_000)
    static let occurredAt = [start, start.adding(seconds: 7 * 86_400), start.adding(seconds: 14 * 86_400)]
    static let actors = [mentor, mentor, mentee]

    static let started = MentorshipStarted(mentorship: mentorship, mentor: mentor, mentee: mentee, program: program, cadenceDays: 7)
    /// The two sessions as today's code reads them: no goals were recorded in v1.
    static let sessions = [
        SessionHeld(session: firstSession, minutes: 60, attendees: [mentor, mentee], goals: []),
        SessionHeld(session: secondSession, minutes: 45, attendees: [mentee], goals: []),
    ]

    /// The v1 layout, byte by byte: session (16), minutes (UInt16 LE), attendee count (UInt32 LE)
    /// and 16 bytes per attendee. Written field by field, not with today's codec.
    static func v1Payload(_ held: SessionHeld) -> [UInt8] {
        var writer = EventPayloadWriter()
        writer.write(held.session)
        writer.write(UInt16(held.minutes))
        writer.write(UInt32(held.attendees.count))
        for attendee in held.attendees { writer.write(attendee) }
        return writer.bytes
    }

    /// The three events as appended: the start (typed, v1 is its current version) and both
    /// sessions as raw v1 bytes.
    static func proposals() throws -> [ProposedEvent] {
        var events = [try ProposedEvent(started, id: eventIDs[0], occurredAt: occurredAt[0], actor: actors[0])]
        for (index, held) in sessions.enumerated() {
            events.append(ProposedEvent(eventType: SessionHeld.eventType, schemaVersion: 1, payload: v1Payload(held),
                                        id: eventIDs[index + 1], occurredAt: occurredAt[index + 1], actor: actors[index + 1]))
        }
        return events
    }

    /// A writable copy of the fixture in a fresh temporary directory (LMDB creates its lock file
    /// there; the committed fixture is never opened).
    static func copy() throws -> TemporaryDirectory {
        let temporary = try TemporaryDirectory("session-held-v1")
        let copy = temporary.url.appendingPathComponent("data.mdb")
        try FileManager.default.copyItem(at: dataFile, to: copy)
        // A checkout may make the fixture read-only; the copy must be writable.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy.path)
        return temporary
    }
}

@Suite("Schema upcasting (SessionHeld v1 fixture)", .serialized)
struct SchemaUpcastingTests {
    typealias Fixture = SessionHeldV1Fixture

    /// Regenerates the fixture. Runs only with `ACCOUNTABILITY_WRITE_FIXTURES=1`:
    /// `ACCOUNTABILITY_WRITE_FIXTURES=1 swift test --filter SchemaUpcastingTests/writeFixture`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ACCOUNTABILITY_WRITE_FIXTURES"] == "1"))
    func writeFixture() throws {
        let files = FileManager.default
        if files.fileExists(atPath: Fixture.directory.path) {
            try files.removeItem(at: Fixture.directory)
        }
        // Written in a scratch directory, then copied compactly: the fixture holds only the pages in
        // use, and no lock file.
        let scratch = try TemporaryDirectory("session-held-v1-writer")
        defer { withExtendedLifetime(scratch) {} }
        let clock = ManualClock(Fixture.start)
        var options = LedgerOptions()
        options.clock = clock
        let ledger = try Ledger(directory: scratch.url, registry: try .accountability(), options: options)
        defer { ledger.close() }
        for (index, event) in try Fixture.proposals().enumerated() {
            clock.set(Fixture.occurredAt[index])
            try ledger.append([event], to: Fixture.stream, expecting: index == 0 ? .noStream : .revision(UInt64(index - 1)))
        }
        try ledger.backup(to: Fixture.directory)
        #expect(try files.contentsOfDirectory(atPath: Fixture.directory.path) == ["data.mdb"])

        let copy = try Fixture.copy()
        defer { withExtendedLifetime(copy) {} }
        let written = try Ledger(directory: copy.url, registry: try .accountability())
        defer { written.close() }
        let report = try written.verify()
        #expect(report.isIntact)
        print("session-held-v1 head hash: \(report.head.hash.hex)")
        #expect(report.head.hash.hex == Fixture.pinnedHeadHash, "if the change is intended, update pinnedHeadHash")
    }

    /// The fixture opens, verifies, and is exactly the pinned content; the committed file is not
    /// touched by reading a copy.
    @Test func fixtureVerifiesAndIsPinned() throws {
        let original = try Data(contentsOf: Fixture.dataFile)
        #expect(try FileManager.default.contentsOfDirectory(atPath: Fixture.directory.path) == ["data.mdb"],
                "commit data.mdb only (no lock.mdb)")
        do {
            let copy = try Fixture.copy()
            defer { withExtendedLifetime(copy) {} }
            let ledger = try Ledger(directory: copy.url, registry: try .accountability())
            defer { ledger.close() }
            let report = try ledger.verify()
            #expect(report.isIntact, "\(String(describing: report.firstFault))")
            #expect(report.eventsChecked == 3)
            #expect(report.payloadsDecoded == 3)
            #expect(report.head.position == 3)
            #expect(report.head.hash.hex == Fixture.pinnedHeadHash)
            #expect(try ledger.head() == report.head)
        }
        #expect(try Data(contentsOf: Fixture.dataFile) == original, "the committed fixture must never change")
    }

    /// Records stored at schema version 1 keep that version and decode, through both the
    /// catalogue's decoder and the kernel's typed decoder, to SessionHeld with no goals.
    @Test func v1SessionsDecodeWithNoGoals() throws {
        let copy = try Fixture.copy()
        defer { withExtendedLifetime(copy) {} }
        let ledger = try Ledger(directory: copy.url, registry: try .accountability())
        defer { ledger.close() }
        try ledger.read { reader in
            var records: [(id: UUID, type: String, version: UInt16, occurredAt: Timestamp, actor: UUID?, payload: [UInt8],
                           event: AccountabilityEvent?)] = []
            try reader.forEach(.stream(Fixture.stream)) { record in
                records.append((record.id, try reader.eventType(of: record), record.schemaVersion, record.occurredAt,
                                record.actor, Array(record.payload), try AccountabilityEvent.decode(record, in: reader)))
                if record.position > 1 {
                    #expect(try reader.decode(record, as: SessionHeld.self) == Fixture.sessions[Int(record.position) - 2])
                }
            }
            try #require(records.count == 3)
            #expect(records.map(\.id) == Fixture.eventIDs)
            #expect(records.map(\.type) == [MentorshipStarted.eventType, SessionHeld.eventType, SessionHeld.eventType])
            #expect(records.map(\.version) == [1, 1, 1])
            #expect(records.map(\.occurredAt) == Fixture.occurredAt)
            #expect(records.map(\.actor) == Fixture.actors.map { Optional($0) })
            #expect(records[0].event == .mentorshipStarted(Fixture.started))
            for (index, held) in Fixture.sessions.enumerated() {
                #expect(records[index + 1].payload == Fixture.v1Payload(held))
                #expect(records[index + 1].payload.count == 16 + 2 + 4 + 16 * held.attendees.count)
                guard case .sessionHeld(let decoded)? = records[index + 1].event else {
                    Issue.record("record \(index + 2) decoded to \(String(describing: records[index + 1].event))")
                    continue
                }
                #expect(decoded.session == held.session)
                #expect(decoded.minutes == held.minutes)
                #expect(decoded.attendees == held.attendees)
                #expect(decoded.goals == [])
            }
        }
    }

    /// Today's code writes SessionHeld at version 2 with different bytes (the goals count follows);
    /// old and new records live side by side in one ledger and both decode.
    @Test func newSessionsAreWrittenAtVersion2NextToV1Ones() throws {
        let held = Fixture.sessions[0]
        let v1 = Fixture.v1Payload(held)
        let proposal = try ProposedEvent(held, id: AccountabilityGen.fixedUUID(0xE4), occurredAt: Fixture.start.adding(seconds: 21 * 86_400))
        #expect(proposal.schemaVersion == 2)
        #expect(proposal.payload != v1)
        #expect(proposal.payload == v1 + [0, 0, 0, 0], "v2 is v1 followed by an empty goals array")

        let withGoals = SessionHeld(session: Fixture.secondSession, minutes: 30, attendees: [Fixture.mentee],
                                    goals: [AccountabilityGen.fixedUUID(0x77)])
        let copy = try Fixture.copy()
        defer { withExtendedLifetime(copy) {} }
        let ledger = try Ledger(directory: copy.url, registry: try .accountability())
        defer { ledger.close() }
        try ledger.append([proposal, try ProposedEvent(withGoals, id: AccountabilityGen.fixedUUID(0xE5))],
                          to: Fixture.stream, expecting: .revision(2))

        // A v1 payload labelled as v2 is refused: the stored version decides how bytes are read.
        let mislabelled = ProposedEvent(eventType: SessionHeld.eventType, schemaVersion: 2, payload: v1)
        let error = #expect(throws: LedgerError.self) { try ledger.append([mislabelled], to: Fixture.stream) }
        #expect(error?.code == .invalidEvent)

        try ledger.read { reader in
            let old = try #require(try reader.event(at: 2))
            let new = try #require(try reader.event(at: 4))
            let newWithGoals = try #require(try reader.event(at: 5))
            #expect(try reader.head().position == 5)
            #expect(old.schemaVersion == 1)
            #expect(new.schemaVersion == 2)
            #expect(Array(old.payload) != Array(new.payload))
            #expect(try AccountabilityEvent.decode(old, in: reader) == .sessionHeld(held))
            #expect(try AccountabilityEvent.decode(new, in: reader) == .sessionHeld(held))
            #expect(try AccountabilityEvent.decode(newWithGoals, in: reader) == .sessionHeld(withGoals))
        }
        let report = try ledger.verify()
        #expect(report.isIntact, "\(String(describing: report.firstFault))")
        #expect(report.payloadsDecoded == 5)
    }
}
