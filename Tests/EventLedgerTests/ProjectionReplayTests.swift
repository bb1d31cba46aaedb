import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("Projection replay")
struct ProjectionReplayTests {
    /// Samples 0..<n on streams a/b alternately, one per day, with an AmountRecorded every 5th.
    private func populate(_ fixture: LedgerFixture, _ n: Int) throws {
        for i in 0..<n {
            fixture.clock.set(day(Double(i)))
            try fixture.ledger.append([.sample(UInt64(i))], to: i % 2 == 0 ? "a" : "b")
            if i % 5 == 0 { try fixture.ledger.append([try ProposedEvent(AmountRecorded(amount: Int64(i)))], to: "amounts") }
        }
    }

    /// The tally of `events`, folded by hand.
    private func expectedTally(_ events: [RecordedEvent]) throws -> SampleTally.State {
        var state = SampleTally.State()
        for event in events {
            var value: UInt64
            switch event.eventType {
            case SampleEvent.eventType:
                let sample = try event.decode(as: SampleEvent.self)
                state.samples += 1
                state.sequenceSum &+= sample.sequence
                value = sample.sequence
            case AmountRecorded.eventType:
                let amount = try event.decode(as: AmountRecorded.self)
                state.amountSum &+= amount.amount
                value = UInt64(bitPattern: amount.amount)
            default: continue
            }
            state.lastPosition = event.position
            state.checksum = (state.checksum ^ event.position) &* 0x100_0000_01B3
            state.checksum = (state.checksum ^ value) &* 0x100_0000_01B3
        }
        return state
    }

    @Test("a full replay folds every event of the types the projection reads, in order")
    func fullReplay() throws {
        let fixture = try LedgerFixture()
        try populate(fixture, 40)
        try fixture.ledger.append([try ProposedEvent(NoteAdded(note: "skipped"))], to: "notes")
        let result = try fixture.ledger.replay(SampleTally())
        #expect(result.state == (try expectedTally(fixture.ledger.events(.all()))))
        #expect(result.state.samples == 40)
        #expect(result.eventsApplied == 48)
        #expect(result.position == 49, "the note at the end was looked at and skipped")
    }

    @Test("time travel: as of a recorded-at time equals a replay of the events recorded by then")
    func asOfTime() throws {
        let fixture = try LedgerFixture()
        try populate(fixture, 30)
        for cut in [0.5, 7.0, 12.5, 29.0] {
            let result = try fixture.ledger.replay(SampleTally(), .all().recorded(upTo: day(cut)))
            let expected = try fixture.ledger.events(.all()).filter { $0.recordedAt <= day(cut) }
            #expect(result.state == (try expectedTally(expected)), "as of day \(cut)")
        }
    }

    @Test("time travel: the state as of position k equals a replay of the first k events, for random k")
    func asOfPosition() throws {
        let fixture = try LedgerFixture()
        try populate(fixture, 60)
        let all = try fixture.ledger.events(.all())
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let k = UInt64.random(in: 0...UInt64(all.count), using: &random)
            let result = try fixture.ledger.replay(SampleTally(), .all().through(position: k))
            #expect(result.state == (try expectedTally(Array(all.prefix(Int(k))))), "k = \(k)")
        }
    }

    @Test("continuing from a state over the rest of the log equals one replay")
    func continuation() throws {
        let fixture = try LedgerFixture()
        try populate(fixture, 50)
        let head = try fixture.ledger.head().position
        let whole = try fixture.ledger.replay(SampleTally())
        for split in [UInt64(0), 1, 17, head - 1, head] {
            let first = try fixture.ledger.replay(SampleTally(), .all().through(position: split))
            let rest = try fixture.ledger.replay(SampleTally(), .all(from: split + 1), from: first.state)
            #expect(rest.state == whole.state, "split at \(split)")
        }
    }

    @Test("a stream or a type can be replayed alone")
    func selections() throws {
        let fixture = try LedgerFixture()
        try populate(fixture, 20)
        let streamA = try fixture.ledger.replay(SampleTally(), .stream("a"))
        #expect(streamA.state == (try expectedTally(fixture.ledger.events(.stream("a")))))
        #expect(streamA.state.samples == 10)
        let amounts = try fixture.ledger.replay(SampleTally(), .type(AmountRecorded.eventType))
        #expect(amounts.state.samples == 0)
        #expect(amounts.state.amountSum == 0 + 5 + 10 + 15)
    }

    @Test("a projection reading only types never stored applies nothing; a damaged payload is an error naming the position")
    func emptyAndDamaged() throws {
        let fixture = try LedgerFixture()
        let nothing = try fixture.ledger.replay(SampleTally())
        #expect(nothing.eventsApplied == 0 && nothing.position == 0 && nothing.state == SampleTally.State())
        try fixture.ledger.append([try ProposedEvent(NoteAdded(note: "x"))], to: "n")
        struct Misread: Projection {
            var name: String { "misread" }
            var initialState: Int { 0 }
            var eventTypes: [String] { [NoteAdded.eventType] }
            func decode(typeIndex: Int, record: EventRecord) throws -> SampleEvent {
                var reader = EventPayloadReader(record.payload)
                return try SampleEvent(payload: &reader, schemaVersion: record.schemaVersion)
            }
            func apply(_ event: SampleEvent, record: EventRecord, to state: inout Int) { state += 1 }
        }
        let error = try #require(throws: LedgerError.self) { try fixture.ledger.replay(Misread()) }
        #expect(error.code == .corruptRecord)
        #expect(error.position == 1)
    }

    @Test("two projections combined fold in one pass to the states each gives alone")
    func combined() throws {
        let fixture = try LedgerFixture()
        try populate(fixture, 25)
        let combined = try CombinedProjection(SampleTally(name: "one"), SampleTally(name: "two", version: 2))
        let both = try fixture.ledger.replay(combined)
        #expect(both.state.first == (try fixture.ledger.replay(SampleTally(name: "one")).state))
        #expect(both.state.second == (try fixture.ledger.replay(SampleTally(name: "two", version: 2)).state))
        #expect(combined.name == "one+two")

        struct NotesOnly: Projection {
            var name: String { "notes" }
            var initialState: Int { 0 }
            var eventTypes: [String] { [NoteAdded.eventType] }
            func decode(typeIndex: Int, record: EventRecord) throws -> SampleTally.Event { .amount(AmountRecorded(amount: 0)) }
            func apply(_ event: SampleTally.Event, record: EventRecord, to state: inout Int) { state += 1 }
        }
        let error = try #require(throws: LedgerError.self) { _ = try CombinedProjection(SampleTally(), NotesOnly()) }
        #expect(error.code == .invalidRequest)
    }
}
