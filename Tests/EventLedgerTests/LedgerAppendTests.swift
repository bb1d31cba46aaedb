import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("Ledger appends")
struct LedgerAppendTests {
    @Test("positions are gapless from 1 and revisions from 0, per stream")
    func positionsAndRevisions() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let a1 = try ledger.append([.sample(1), .sample(2)], to: "a", expecting: .noStream)
        let b1 = try ledger.append([.sample(3)], to: "b", expecting: .noStream)
        let a2 = try ledger.append([.sample(4)], to: "a", expecting: .revision(1))
        #expect(a1.positions == 1..<3)
        #expect(a1.revision == 1)
        #expect(b1.positions == 3..<4)
        #expect(b1.revision == 0)
        #expect(a2.positions == 4..<5)
        #expect(a2.revision == 2)
        #expect(a1.wasAlreadyStored == false)
        let events = try ledger.events(.stream("a"))
        #expect(events.map(\.streamRevision) == [0, 1, 2])
        #expect(events.map(\.position) == [1, 2, 4])
        #expect(try ledger.head().position == 4)
    }

    @Test("a wrong expected revision names the stream, the expected and the actual revision, and writes nothing")
    func wrongExpectedRevision() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(1), .sample(2), .sample(3)], to: "mentorship/1")
        let before = try ledger.head()

        let error = try #require(throws: LedgerError.self) {
            try ledger.append([.sample(4)], to: "mentorship/1", expecting: .revision(0))
        }
        #expect(error.code == .wrongExpectedRevision)
        #expect(error.stream == "mentorship/1")
        #expect(error.message.contains("mentorship/1"))
        #expect(error.message.contains("expected revision 0"))
        #expect(error.message.contains("at revision 2"))

        let noStream = try #require(throws: LedgerError.self) {
            try ledger.append([.sample(4)], to: "mentorship/1", expecting: .noStream)
        }
        #expect(noStream.code == .wrongExpectedRevision)
        #expect(noStream.message.contains("expected no stream"))

        let exists = try #require(throws: LedgerError.self) {
            try ledger.append([.sample(4)], to: "mentorship/2", expecting: .exists)
        }
        #expect(exists.code == .wrongExpectedRevision)
        #expect(exists.message.contains("has no events"))

        #expect(try ledger.head() == before)
        #expect(try ledger.read { try $0.streamRevision(of: "mentorship/2") } == nil)
    }

    @Test("a batch with one undecodable event writes nothing")
    func undecodableEventInBatch() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(0)], to: "s")
        let before = try ledger.head()
        let garbage = ProposedEvent(eventType: SampleEvent.eventType, schemaVersion: 1, payload: [1, 2, 3])
        let error = try #require(throws: LedgerError.self) {
            try ledger.append([.sample(1), garbage, .sample(2)], to: "s")
        }
        #expect(error.code == .invalidEvent)
        #expect(error.message.contains("event 2 of 3"))
        #expect(error.message.contains("Sample"))
        #expect(try ledger.head() == before)
        #expect(try ledger.events(.all()).count == 1)
    }

    @Test("a batch with one invalid event writes nothing, typed or raw")
    func invalidEventInBatch() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        // A typed event is validated when it is built.
        #expect(throws: LedgerError.self) { try ProposedEvent(AmountRecorded(amount: -5)) }
        // Raw bytes that decode to an invalid event are refused at append.
        var writer = EventPayloadWriter()
        writer.write(Int64(-5))
        let raw = ProposedEvent(eventType: AmountRecorded.eventType, schemaVersion: 1, payload: writer.bytes)
        let error = try #require(throws: LedgerError.self) {
            try ledger.append([try ProposedEvent(AmountRecorded(amount: 3)), raw], to: "money")
        }
        #expect(error.code == .invalidEvent)
        #expect(error.message.contains("must not be negative"))
        #expect(try ledger.head().position == 0)
    }

    @Test("an unregistered type, a bad stream name or a repeated id is refused before anything is written")
    func requestValidation() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let unknown = ProposedEvent(eventType: "Nope", schemaVersion: 1, payload: [])
        let unknownError = try #require(throws: LedgerError.self) { try ledger.append([unknown], to: "s") }
        #expect(unknownError.code == .unknownEventType)
        #expect(unknownError.message.contains("'Nope'"))

        let empty = try #require(throws: LedgerError.self) { try ledger.append([.sample(1)], to: "") }
        #expect(empty.code == .invalidStreamName)
        let long = try #require(throws: LedgerError.self) { try ledger.append([.sample(1)], to: String(repeating: "x", count: 300)) }
        #expect(long.code == .invalidStreamName)
        let control = try #require(throws: LedgerError.self) { try ledger.append([.sample(1)], to: "a\u{0}b") }
        #expect(control.code == .invalidStreamName)
        // Control characters in ASCII (DEL, unit separator) and beyond it (U+0085, next line).
        for name in ["a\u{7F}", "\u{1F}b", "café\u{85}"] {
            let error = try #require(throws: LedgerError.self) { try ledger.append([.sample(1)], to: name) }
            #expect(error.code == .invalidStreamName, "\(name.debugDescription)")
        }

        let id = UUID()
        let repeated = try #require(throws: LedgerError.self) {
            try ledger.append([.sample(1, id: id), .sample(2, id: id)], to: "s")
        }
        #expect(repeated.code == .invalidRequest)

        let newer = ProposedEvent(eventType: SampleEvent.eventType, schemaVersion: 9, payload: [])
        let newerError = try #require(throws: LedgerError.self) { try ledger.append([newer], to: "s") }
        #expect(newerError.code == .invalidEvent)
        // Versions start at 1: a version 0 payload would be stored but unreadable by typed decoders.
        var writer = EventPayloadWriter()
        SampleEvent(sequence: 1, text: "x").encodePayload(into: &writer)
        let zero = ProposedEvent(eventType: SampleEvent.eventType, schemaVersion: 0, payload: writer.bytes)
        let zeroError = try #require(throws: LedgerError.self) { try ledger.append([zero], to: "s") }
        #expect(zeroError.code == .invalidEvent)
        #expect(zeroError.message.contains("schema version 0"))
        #expect(try ledger.head().position == 0)
    }

    @Test("a type declaring schema version 0 cannot be registered")
    func schemaVersionZeroRegistration() {
        struct VersionZero: LedgerEvent {
            static let eventType = "VersionZero"
            static let schemaVersion: UInt16 = 0
            func encodePayload(into writer: inout EventPayloadWriter) {}
            init() {}
            init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {}
        }
        var registry = EventTypeRegistry()
        let error = #expect(throws: LedgerError.self) { try registry.register(VersionZero.self) }
        #expect(error?.code == .invalidRequest)
        #expect(!registry.isRegistered("VersionZero"))
    }

    @Test("an idempotent retry returns the same positions and adds nothing")
    func idempotentRetry() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(0)], to: "other")
        let batch = [try ProposedEvent.sample(1), try ProposedEvent.sample(2), try ProposedEvent.sample(3)]
        let first = try ledger.append(batch, to: "s", expecting: .noStream)
        let head = try ledger.head()

        // The retry would fail its revision check if it were appended again.
        let retry = try ledger.append(batch, to: "s", expecting: .noStream)
        #expect(retry.positions == first.positions)
        #expect(retry.revision == first.revision)
        #expect(retry.wasAlreadyStored)
        #expect(try ledger.head() == head)
        #expect(try ledger.events(.all()).count == 4)
    }

    @Test("a stream name beyond ASCII without control characters is accepted")
    func nonASCIIStreamName() throws {
        let fixture = try LedgerFixture()
        #expect(try fixture.ledger.append([.sample(1)], to: "café/☕").positions == 1..<2)
        #expect(try fixture.ledger.read { try $0.streamRevision(of: "café/☕") } == 0)
    }

    @Test("retries racing their originals, in whatever commit groups they land, return the originals' positions")
    func retriesRacingOriginals() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let batches = try (0..<24).map { n in try (0..<3).map { _ in try ProposedEvent.sample(n) } }
        // Each batch is sent three times at once, alongside every other batch: the first to commit
        // writes it, the others find its ids stored (in their own commit or in the same group).
        let results = try await withThrowingTaskGroup(of: (Int, AppendResult).self) { group in
            for (n, batch) in batches.enumerated() {
                for _ in 0..<3 {
                    group.addTask { (n, try await ledger.append(batch, to: "s\(n)", expecting: .any)) }
                }
            }
            var results: [Int: [AppendResult]] = [:]
            for try await (n, result) in group { results[n, default: []].append(result) }
            return results
        }
        for n in batches.indices {
            let three = try #require(results[n])
            #expect(three.count == 3)
            #expect(Set(three.map(\.positions)).count == 1, "batch \(n) got different positions: \(three.map(\.positions))")
            #expect(three.filter { !$0.wasAlreadyStored }.count == 1)
        }
        #expect(try ledger.head().position == 72)
        #expect(try ledger.verify().isIntact)
    }

    @Test("an id stored with other content, or a partly stored batch, is an idempotency conflict")
    func idempotencyConflicts() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let id = UUID()
        try ledger.append([.sample(1, id: id)], to: "s")
        let head = try ledger.head()

        let changed = try #require(throws: LedgerError.self) { try ledger.append([.sample(99, id: id)], to: "s") }
        #expect(changed.code == .idempotencyConflict)
        #expect(changed.message.contains("payload"))

        let otherStream = try #require(throws: LedgerError.self) { try ledger.append([.sample(1, id: id)], to: "t") }
        #expect(otherStream.code == .idempotencyConflict)
        #expect(otherStream.message.contains("stream"))

        let partial = try #require(throws: LedgerError.self) { try ledger.append([.sample(1, id: id), .sample(2)], to: "s") }
        #expect(partial.code == .idempotencyConflict)
        #expect(try ledger.head() == head)
    }

    @Test("an append across several streams commits all of them or none")
    func multiStreamAtomicity() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(0)], to: "b")
        let results = try ledger.append([
            StreamAppend(stream: "a", expectedRevision: .noStream, events: [try .sample(1), try .sample(2)]),
            StreamAppend(stream: "b", expectedRevision: .revision(0), events: [try .sample(3)]),
        ])
        #expect(results.map(\.positions) == [2..<4, 4..<5])
        #expect(results.map(\.revision) == [1, 1])

        let head = try ledger.head()
        let error = try #require(throws: LedgerError.self) {
            try ledger.append([
                StreamAppend(stream: "c", expectedRevision: .noStream, events: [try .sample(5)]),
                StreamAppend(stream: "b", expectedRevision: .revision(0), events: [try .sample(6)]),
            ])
        }
        #expect(error.code == .wrongExpectedRevision)
        #expect(error.stream == "b")
        #expect(try ledger.head() == head)
        #expect(try ledger.read { try $0.streamRevision(of: "c") } == nil)

        let twice = try #require(throws: LedgerError.self) {
            try ledger.append([StreamAppend(stream: "x", events: [try .sample(1)]), StreamAppend(stream: "x", events: [try .sample(2)])])
        }
        #expect(twice.code == .invalidRequest)
    }

    @Test("recorded-at never decreases even when the clock goes back; occurred-at is kept as given")
    func recordedAtIsMonotonic() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        fixture.clock.set(day(10))
        try ledger.append([.sample(1, occurredAt: day(2))], to: "s")
        fixture.clock.set(day(5))
        try ledger.append([.sample(2)], to: "s")
        let events = try ledger.events(.all())
        #expect(events[0].recordedAt == day(10))
        #expect(events[0].occurredAt == day(2))
        #expect(events[1].recordedAt == day(10))
        #expect(events[1].occurredAt == day(10))
    }

    @Test("envelope metadata and payloads round-trip, binary and Codable")
    func envelopeRoundTrip() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let actor = UUID(), correlation = UUID(), causation = UUID(), id = UUID()
        let note = NoteAdded(note: "first session went well ✅", author: actor)
        try ledger.append([try ProposedEvent(note, id: id, occurredAt: day(-1), actor: actor, correlationID: correlation, causationID: causation)], to: "notes")
        try ledger.append([.sample(7, text: "seven")], to: "numbers")
        let events = try ledger.events(.all())
        #expect(events[0].id == id)
        #expect(events[0].actor == actor)
        #expect(events[0].correlationID == correlation)
        #expect(events[0].causationID == causation)
        #expect(events[0].eventType == "NoteAdded")
        #expect(events[0].stream == "notes")
        #expect(try events[0].decode(as: NoteAdded.self) == note)
        #expect(events[1].actor == nil)
        #expect(try events[1].decode(as: SampleEvent.self) == SampleEvent(sequence: 7, text: "seven"))
        #expect(throws: LedgerError.self) { try events[1].decode(as: NoteAdded.self) }
        try ledger.read { reader in
            let record = try #require(try reader.event(at: 1))
            #expect(try reader.decode(record, as: NoteAdded.self) == note)
            #expect(try reader.decodeEvent(record) as? NoteAdded == note)
            #expect(throws: LedgerError.self) { try reader.decode(record, as: SampleEvent.self) }
        }
    }

    @Test("appending inside a read of the same ledger is refused instead of deadlocking")
    func appendInsideRead() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let error = try #require(throws: LedgerError.self) {
            try ledger.read { _ in try ledger.append([.sample(1)], to: "s") }
        }
        #expect(error.code == .invalidRequest)
    }

    @Test("a closed ledger refuses appends and reads with a closed error")
    func closedLedger() throws {
        let fixture = try LedgerFixture()
        fixture.ledger.close()
        let append = try #require(throws: LedgerError.self) { try fixture.ledger.append([.sample(1)], to: "s") }
        #expect(append.code == .closed)
        let read = try #require(throws: LedgerError.self) { try fixture.ledger.head() }
        #expect(read.code == .closed)
    }
}
