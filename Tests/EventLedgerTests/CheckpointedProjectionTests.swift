import EventLedger
import Foundation
import Synchronization
import LedgerTestSupport
import Testing

@Suite("CheckpointedProjection")
struct CheckpointedProjectionTests {
    private func append(_ fixture: LedgerFixture, _ range: Range<Int>, stream: String = "s") throws {
        try fixture.ledger.append(range.map { try ProposedEvent.sample(UInt64($0)) }, to: stream)
    }

    @Test("storing every eventsPerCheckpoint events: small catch-ups store nothing, the stored checkpoint stays exact and at most that far behind")
    func deferredStoring() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<30)
        let tally = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(), eventsPerCheckpoint: 10, storing: .everyEventsPerCheckpoint)
        // 30 events from nothing: stored at 10, 20 and 30.
        var stores: [UInt64] = []
        #expect(try tally.catchUp(progress: { stores.append($0) }).position == 30)
        #expect(stores == [10, 20, 30])
        for n in 30..<47 {
            try append(fixture, n..<n + 1)
            let snapshot = try tally.catchUp(progress: { stores.append($0) })
            #expect(snapshot.position == UInt64(n + 1))
            #expect(snapshot.state == (try fixture.ledger.replay(SampleTally()).state))
            let stored = try #require(try tally.stored())
            #expect(snapshot.position - stored.position < 10, "at most eventsPerCheckpoint events are not stored")
            #expect(stored.state == (try fixture.ledger.replay(SampleTally(), .all().through(position: stored.position)).state),
                    "the stored checkpoint is exact for its position")
        }
        #expect(stores == [10, 20, 30, 40])
        // A new instance (a restarted process) resumes from the stored checkpoint and agrees.
        let restarted = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(), eventsPerCheckpoint: 10, storing: .everyEventsPerCheckpoint)
        #expect(try restarted.stored()?.position == 40)
        #expect(try restarted.catchUp() == (try tally.catchUp()))
        // checkpoint() stores what was folded; nothing is left to store afterwards.
        #expect(try tally.checkpoint()?.position == 47)
        #expect(try tally.stored()?.position == 47)
        #expect(try restarted.checkpoint()?.position == 47)
    }

    @Test("a catch-up reuses the state it stored instead of decoding it; a checkpoint moved by another instance is decoded")
    func storedStateIsDecodedOnlyWhenItMoved() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<50)
        let counter = DecodeCounter()
        let a = try CheckpointedProjection(ledger: fixture.ledger, projection: CountingTally(counter: counter), storing: .everyCatchUp)
        try a.catchUp()
        for n in 50..<60 {
            try append(fixture, n..<n + 1)
            #expect(try a.catchUp().state.inner == (try fixture.ledger.replay(SampleTally()).state))
        }
        #expect(counter.count == 0, "the instance's own checkpoints are never decoded")

        // Another instance (another process, say) moves the checkpoint: `a` decodes it once.
        let b = try CheckpointedProjection(ledger: fixture.ledger, projection: CountingTally(counter: counter), storing: .everyCatchUp)
        try append(fixture, 60..<70)
        try b.catchUp()
        #expect(counter.count == 1, "b decoded the checkpoint a stored")
        try append(fixture, 70..<71)
        let fromA = try a.catchUp()
        #expect(counter.count == 2, "a decoded the checkpoint b stored")
        #expect(fromA.position == 71)
        #expect(fromA.state.inner == (try fixture.ledger.replay(SampleTally()).state))
        #expect(try a.stored() == fromA)
        #expect(counter.count == 2)
    }

    @Test("catch-up stores the state with the position it reflects, and later reads only the new events")
    func catchUpIsIncremental() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<100)
        let tally = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(), storing: .everyCatchUp)
        #expect(try tally.stored() == nil)
        let first = try tally.catchUp()
        #expect(first.position == 100)
        #expect(first.state == (try fixture.ledger.replay(SampleTally()).state))
        #expect(try tally.stored() == first)

        try append(fixture, 100..<101)
        let second = try tally.catchUp()
        #expect(second.position == 101)
        #expect(second.state == (try fixture.ledger.replay(SampleTally()).state))
        // Nothing new: the stored snapshot comes back unchanged.
        #expect(try tally.catchUp() == second)
    }

    @Test("catch-up through a position stops there (read-your-writes)")
    func catchUpThrough() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<30)
        let result = try fixture.ledger.append([.sample(30)], to: "t")
        try append(fixture, 31..<40)
        let tally = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally())
        let snapshot = try tally.catchUp(through: result.positions.upperBound - 1)
        #expect(snapshot.position == 31)
        #expect(snapshot.state == (try fixture.ledger.replay(SampleTally(), .all().through(position: 31)).state))
    }

    @Test("catch-ups split at random positions give exactly the full replay", arguments: 0..<5)
    func randomSplits(round: Int) throws {
        let fixture = try LedgerFixture()
        let tally = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(), eventsPerCheckpoint: UInt64(1 + round * 7))
        var written = 0
        var random = SystemRandomNumberGenerator()
        while written < 300 {
            let count = Int.random(in: 1...40, using: &random)
            try append(fixture, written..<written + count, stream: "s\(count % 3)")
            written += count
            if Bool.random(using: &random) {
                let snapshot = try tally.catchUp()
                #expect(snapshot.state == (try fixture.ledger.replay(SampleTally(), .all().through(position: snapshot.position)).state))
            }
        }
        let final = try tally.catchUp()
        #expect(final.position == UInt64(written))
        #expect(final.state == (try fixture.ledger.replay(SampleTally()).state))
    }

    @Test("a new version is rebuilt aside; the old checkpoint stays until the rebuild is swapped in")
    func versionRebuild() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<50)
        let v1 = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(version: 1), storing: .everyCatchUp)
        let old = try v1.catchUp()

        // A rebuild that fails half-way leaves the old checkpoint in place.
        struct Failing: Projection {
            var inner = SampleTally(version: 2)
            var name: String { inner.name }
            var version: UInt32 { 2 }
            var initialState: SampleTally.State { inner.initialState }
            var eventTypes: [String] { inner.eventTypes }
            func decode(typeIndex: Int, record: EventRecord) throws -> SampleTally.Event { try inner.decode(typeIndex: typeIndex, record: record) }
            func apply(_ event: SampleTally.Event, record: EventRecord, to state: inout SampleTally.State) throws {
                struct Boom: Error {}
                if record.position == 35 { throw Boom() }
                inner.apply(event, record: record, to: &state)
            }
        }
        let failing = try CheckpointedProjection(ledger: fixture.ledger, projection: Failing(), eventsPerCheckpoint: 10, storing: .everyCatchUp)
        #expect(throws: (any Error).self) { try failing.catchUp() }
        #expect(try v1.stored() == old, "the old version is still what readers see")
        #expect(try failing.stored() == nil, "the unfinished rebuild is not visible")

        // The real v2 resumes the rebuild from the aside checkpoint and swaps it in.
        let v2 = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(version: 2), eventsPerCheckpoint: 10, storing: .everyCatchUp)
        let rebuilt = try v2.catchUp()
        #expect(rebuilt.version == 2 && rebuilt.position == 50)
        #expect(rebuilt.state == (try fixture.ledger.replay(SampleTally(version: 2)).state))
        #expect(rebuilt.state != old.state)
        #expect(try v1.stored() == nil, "the old version's checkpoint was replaced")
        #expect(try v2.stored() == rebuilt)
    }

    @Test("catch-ups racing on several threads store one consistent history")
    func racingCatchUps() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try append(fixture, 0..<200)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    do {
                        let tally = try CheckpointedProjection(ledger: ledger, projection: SampleTally(), eventsPerCheckpoint: 7)
                        for round in 0..<10 {
                            try ledger.append([.sample(UInt64(1_000 + worker * 100 + round))], to: "w\(worker)")
                            let snapshot = try tally.catchUp()
                            let replayed = try ledger.replay(SampleTally(), .all().through(position: snapshot.position))
                            #expect(snapshot.state == replayed.state)
                        }
                    } catch {
                        Issue.record(error)
                    }
                }
            }
        }
        let tally = try CheckpointedProjection(ledger: ledger, projection: SampleTally())
        let final = try tally.catchUp()
        #expect(final.position == 240)
        #expect(final.state == (try ledger.replay(SampleTally()).state))
    }

    @Test("waiting until caught up returns a snapshot at the head")
    func waitUntilCaughtUp() async throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<25)
        let tally = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally())
        let snapshot = try await tally.waitUntilCaughtUp()
        #expect(snapshot.position == 25)
    }

    @Test("bad names and read-only ledgers are refused with clear errors")
    func refusals() throws {
        let fixture = try LedgerFixture()
        for name in ["", String(repeating: "n", count: 201), "a\u{0}b"] {
            let error = try #require(throws: LedgerError.self) {
                _ = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(name: name))
            }
            #expect(error.code == .invalidRequest)
        }
        try append(fixture, 0..<3)
        fixture.ledger.close()
        var options = LedgerOptions()
        options.readOnly = true
        let readOnly = try Ledger(directory: fixture.url, registry: .samples(), options: options)
        defer { readOnly.close() }
        let tally = try CheckpointedProjection(ledger: readOnly, projection: SampleTally())
        let error = try #require(throws: LedgerError.self) { try tally.catchUp() }
        #expect(error.code == .invalidRequest)
        #expect(try readOnly.replay(SampleTally()).state.samples == 3)
    }

    @Test("a catch-up killed at random moments never leaves a checkpoint ahead of or behind its state (real child process)")
    func killDuringCatchUp() throws {
        let fixture = try LedgerFixture()
        for batch in 0..<40 { try append(fixture, batch * 500..<(batch + 1) * 500, stream: "s\(batch % 4)") }
        let head = try fixture.ledger.head().position
        let tally = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally())
        var positions: [UInt64] = []
        var interrupted = 0
        for round in 0..<5 {
            let (child, output) = try ChildProcess.start(["catchup", fixture.url.path, "20"])
            // Kill after a random number of stored checkpoints (or at once), whatever the machine's load.
            let checkpoints = Int.random(in: 0...(round == 0 ? 0 : 60))
            var printed = ""
            while printed.count(where: { $0 == "\n" }) < checkpoints, !printed.contains("done") {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                printed += String(decoding: data, as: UTF8.self)
            }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            printed += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if !printed.contains("done") { interrupted += 1 }
            if let stored = try tally.stored() {
                positions.append(stored.position)
                #expect(stored.position % 20 == 0 || stored.position == head)
                #expect(stored.state == (try fixture.ledger.replay(SampleTally(), .all().through(position: stored.position)).state),
                        "round \(round): checkpoint at \(stored.position)")
            }
        }
        #expect(positions == positions.sorted(), "checkpoints only move forward")
        #expect(interrupted > 0, "no round killed the catch-up before it finished: \(positions) of \(head)")
        let final = try tally.catchUp()
        #expect(final.position == head)
        #expect(final.state == (try fixture.ledger.replay(SampleTally()).state))
        #expect(try fixture.ledger.verify().isIntact)
    }

    @Test("catching up through a position past the head stops at the head and loses nothing later")
    func throughPastHead() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<10)
        let tally = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(), eventsPerCheckpoint: .max)
        #expect(try tally.catchUp(through: 15).position == 10)
        try append(fixture, 10..<20)
        let later = try tally.catchUp()
        #expect(later.position == 20)
        #expect(later.state == (try fixture.ledger.replay(SampleTally()).state))
    }

    @Test("a second rebuild of the same new version takes over the finished one instead of starting again")
    func concurrentRebuilds() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<20)
        try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(version: 1)).catchUp()
        // Rebuild A finishes and moves on; B, asked for less, returns A's checkpoint unchanged.
        let a = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(version: 2), eventsPerCheckpoint: 5)
        try a.catchUp(through: 10)
        try append(fixture, 20..<30)
        #expect(try a.catchUp().position == 30)
        let b = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(version: 2), eventsPerCheckpoint: 5)
        let fromB = try b.catchUp(through: 10)
        #expect(fromB.position == 30, "B uses A's finished rebuild instead of writing its own")
        #expect(try a.stored()?.position == 30)
    }

    @Test("by default a catch-up of a few events stores nothing: the whole state is stored only every eventsPerCheckpoint events")
    func defaultStoresEveryEventsPerCheckpoint() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<25)
        let tally = try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(), eventsPerCheckpoint: 10)
        #expect(tally.storing == .everyEventsPerCheckpoint)
        #expect(try tally.catchUp().position == 25)
        #expect(try tally.stored()?.position == 20, "stored at 10 and 20, not at 25")
        try append(fixture, 25..<27)
        #expect(try tally.catchUp().position == 27)
        #expect(try tally.stored()?.position == 20, "two more events are folded in memory, not stored")
        _ = try tally.checkpoint()
        #expect(try tally.stored()?.position == 27, "checkpoint() stores on demand")
    }

    @Test("a reader process waits on a checkpoint another process maintains")
    func waitReadOnly() async throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<40)
        try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(), storing: .everyCatchUp).catchUp(through: 20)
        let url = fixture.url
        fixture.ledger.close()
        var options = LedgerOptions()
        options.readOnly = true
        let reader = try Ledger(directory: url, registry: .samples(), options: options)
        defer { reader.close() }
        let waiting = try CheckpointedProjection(ledger: reader, projection: SampleTally())
        let error = try await #require(throws: LedgerError.self) { try await waiting.waitUntilCaughtUp(timeout: .milliseconds(100)) }
        #expect(error.message.contains("it is at 20"))
    }
}

/// Counts how often a ``CountingTally`` state is decoded from a checkpoint.
private final class DecodeCounter: Sendable {
    private let decodes = Mutex(0)
    var count: Int { decodes.withLock { $0 } }
    func increment() { decodes.withLock { $0 += 1 } }
}

/// ``SampleTally`` whose state counts its decodes.
private struct CountingTally: Projection {
    struct State: Codable, Hashable, Sendable {
        var inner = SampleTally.State()
        init() {}
        init(from decoder: any Decoder) throws {
            inner = try SampleTally.State(from: decoder)
            CountingTally.current.withLock { $0 }?.increment()
        }
        func encode(to encoder: any Encoder) throws { try inner.encode(to: encoder) }
    }
    static let current = Mutex<DecodeCounter?>(nil)

    let tally = SampleTally(name: "counting-tally")
    init(counter: DecodeCounter) { Self.current.withLock { $0 = counter } }
    var name: String { tally.name }
    var initialState: State { State() }
    var eventTypes: [String] { tally.eventTypes }
    func decode(typeIndex: Int, record: EventRecord) throws -> SampleTally.Event { try tally.decode(typeIndex: typeIndex, record: record) }
    func apply(_ event: SampleTally.Event, record: EventRecord, to state: inout State) { tally.apply(event, record: record, to: &state.inner) }
}
