import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("PersistentProjection")
struct PersistentProjectionTests {
    typealias Row = SampleStreamTotals.Row

    private func append(_ fixture: LedgerFixture, _ range: Range<Int>, stream: String = "s") throws {
        try fixture.ledger.append(range.map { try ProposedEvent.sample(UInt64($0)) }, to: stream)
    }

    private func stored(_ projection: PersistentProjection<SampleStreamTotals>) throws -> (position: UInt64, rows: [RowKey: Row]) {
        try projection.read { view in
            (view.position, Dictionary(uniqueKeysWithValues: try view.rows().map { ($0.key, $0.row) }))
        }
    }

    private func replayed(_ ledger: Ledger, through position: UInt64, _ projection: SampleStreamTotals = SampleStreamTotals()) throws -> [RowKey: Row] {
        Dictionary(uniqueKeysWithValues: try ledger.replay(keyed: projection, .all().through(position: position)).state.rows.map { ($0.key, $0.row) })
    }

    @Test("a catch-up stores exactly the rows an in-memory replay makes; a row and a key range read back in key order")
    func catchUpEqualsReplay() throws {
        let fixture = try LedgerFixture()
        for batch in 0..<6 { try append(fixture, batch * 50..<(batch + 1) * 50, stream: "s\(batch % 3)") }
        let totals = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals(), eventsPerCommit: 40)
        var commits: [UInt64] = []
        #expect(try totals.catchUp { commits.append($0) } == 300)
        #expect(commits == [40, 80, 120, 160, 200, 240, 280, 300])
        let (position, rows) = try stored(totals)
        #expect(position == 300)
        #expect(rows == (try replayed(fixture.ledger, through: 300)))
        #expect(rows.count == 4, "three stream rows and the total")
        #expect(rows[SampleStreamTotals.totalKey]?.events == 300)

        try totals.read { view in
            #expect(view.isCurrent)
            #expect(try view.row(SampleStreamTotals.totalKey)?.sequenceSum == (0..<300).reduce(0, +))
            #expect(try view.row(RowKey(kind: 9)) == nil)
            let streams = try view.rows(prefix: RowKey(kind: 1))
            #expect(streams.count == 3)
            #expect(streams.map(\.key) == streams.map(\.key).sorted())
            #expect(streams.allSatisfy { $0.row.events == 100 })
            #expect(try view.rows(prefix: RowKey(kind: 1), limit: 2).count == 2)
        }
    }

    @Test("catch-ups of one event at a time touch only the new events' rows and stay equal to a replay; a restarted instance agrees")
    func incremental() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<30)
        let totals = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals())
        try totals.catchUp()
        for n in 30..<60 {
            try append(fixture, n..<n + 1, stream: "s\(n % 5)")
            #expect(try totals.catchUp() == UInt64(n + 1))
            #expect(try stored(totals).rows == (try replayed(fixture.ledger, through: UInt64(n + 1))))
        }
        let restarted = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals())
        #expect(try restarted.status() == ProjectionStatus(name: "sample-stream-totals", version: 1, storedVersion: 1,
                                                           position: 60, headPosition: 60, rebuildPosition: nil))
        try append(fixture, 60..<70, stream: "s1")
        #expect(try restarted.status().lag == 10)
        #expect(try restarted.catchUp() == 70)
        #expect(try totals.catchUp() == 70, "the first instance sees the checkpoint moved and its cached rows are not reused")
        #expect(try stored(totals).rows == (try replayed(fixture.ledger, through: 70)))
        try append(fixture, 70..<71, stream: "s1")
        #expect(try totals.catchUp() == 71)
        #expect(try stored(restarted).rows == (try replayed(fixture.ledger, through: 71)))
    }

    @Test("catching up through a position stops there; past the head it stops at the head")
    func through() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<20)
        let totals = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals())
        #expect(try totals.catchUp(through: 7) == 7)
        #expect(try stored(totals).rows == (try replayed(fixture.ledger, through: 7)))
        #expect(try totals.catchUp(through: 500) == 20)
        #expect(try totals.catchUp(through: 3) == 20, "a projection past the asked position is left as it is")
    }

    @Test("a fold that throws stores nothing past the last commit")
    func failingFold() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<100)
        let failing = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals(failAt: 55), eventsPerCommit: 10)
        let error = try #require(throws: LedgerError.self) { try failing.catchUp() }
        #expect(error.message.contains("failing at 55"))
        #expect(try failing.status().position == 50)
        #expect(try stored(failing).rows == (try replayed(fixture.ledger, through: 50)))
        let fixed = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals(), eventsPerCommit: 10)
        #expect(try fixed.catchUp() == 100)
        #expect(try stored(fixed).rows == (try replayed(fixture.ledger, through: 100)))
    }

    @Test("a new version is rebuilt aside: readers keep the old rows until it is swapped in; an interrupted rebuild resumes")
    func rebuild() throws {
        let fixture = try LedgerFixture()
        for batch in 0..<4 { try append(fixture, batch * 25..<(batch + 1) * 25, stream: "s\(batch)") }
        let v1 = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals(version: 1))
        try v1.catchUp()
        let old = try stored(v1).rows

        // The rebuild fails at 65: its first commits stay aside, the old rows are still served.
        let failing = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals(version: 2, failAt: 65), eventsPerCommit: 20)
        #expect(throws: LedgerError.self) { try failing.catchUp() }
        let midway = try failing.status()
        #expect(midway.rebuildPosition == 60)
        #expect(midway.storedVersion == 1)
        #expect(midway.position == 0)
        #expect(try stored(v1).rows == old, "version 1 readers still see their rows")
        #expect(try stored(failing).rows.isEmpty, "no rows of version 2 are shown before the swap")

        // Resumed: it continues from 60, not from the start, and is swapped in at the head.
        let v2 = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals(version: 2), eventsPerCommit: 20)
        var commits: [UInt64] = []
        #expect(try v2.catchUp { commits.append($0) } == 100)
        #expect(commits == [80, 100])
        #expect(try stored(v2).rows == (try replayed(fixture.ledger, through: 100, SampleStreamTotals(version: 2))))
        #expect(try stored(v2).rows != old)
        #expect(try v2.status().rebuildPosition == nil)
        #expect(try stored(v1).rows.isEmpty, "the old version's rows are gone once the rebuild is swapped in")

        // Back to version 1: rebuilt again, and equal to a replay (no rows left over from before).
        #expect(try v1.catchUp() == 100)
        #expect(try stored(v1).rows == old)
    }

    @Test("the name of a whole-state checkpoint is taken over by a keyed projection through a rebuild")
    func replacesWholeStateCheckpoint() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<30)
        try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(name: "shared-name"), storing: .everyCatchUp).catchUp()
        let totals = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals(name: "shared-name"))
        #expect(try totals.status().storedVersion == nil)
        #expect(try totals.catchUp() == 30)
        #expect(try stored(totals).rows == (try replayed(fixture.ledger, through: 30)))
    }

    @Test("the ledger lists its stored projections of both kinds, with position, lag and a rebuild under way")
    func listing() throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<40)
        try CheckpointedProjection(ledger: fixture.ledger, projection: SampleTally(), storing: .everyCatchUp).catchUp(through: 10)
        try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals(), eventsPerCommit: 5).catchUp(through: 30)
        #expect(throws: LedgerError.self) {
            try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals(version: 2, failAt: 23), eventsPerCommit: 5).catchUp()
        }
        let listed = try fixture.ledger.storedProjections()
        #expect(listed == [
            StoredProjection(name: "sample-stream-totals", kind: .rows, version: 1, position: 30, rebuildPosition: 20, headPosition: 40),
            StoredProjection(name: "sample-tally", kind: .wholeState, version: 1, position: 10, rebuildPosition: nil, headPosition: 40),
        ])
        #expect(listed.map(\.lag) == [10, 30])
    }

    @Test("a row key longer than 32 bytes is refused with the projection's name")
    func overflowedKey() throws {
        var key = RowKey(kind: 1)
        for _ in 0..<4 { key.append(UInt64.max) }
        #expect(key.overflowed)
        #expect(key.count == 32)
        let fixture = try LedgerFixture()
        var rows = try fixture.ledger.replay(keyed: SampleStreamTotals()).state
        let error = try #require(throws: LedgerError.self) { try rows.set(Row(), for: key) }
        #expect(error.code == .invalidRequest)
        #expect(error.message.contains("sample-stream-totals"))
    }

    @Test("a ledger opened read-only folds in memory; its reader sees rows another process stores and waits for them")
    func readOnly() async throws {
        let fixture = try LedgerFixture()
        try append(fixture, 0..<40)
        try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals()).catchUp(through: 20)
        let url = fixture.url
        fixture.ledger.close()
        var options = LedgerOptions()
        options.readOnly = true
        let reader = try Ledger(directory: url, registry: .samples(), options: options)
        defer { reader.close() }
        let totals = try PersistentProjection(ledger: reader, projection: SampleStreamTotals())
        let refused = try #require(throws: LedgerError.self) { try totals.catchUp() }
        #expect(refused.code == .invalidRequest)
        #expect(try stored(totals).position == 20)
        #expect(try stored(totals).rows == (try replayed(reader, through: 20)))
        #expect(try reader.replay(keyed: SampleStreamTotals()).state.rows.count == 2)
        let late = try await #require(throws: LedgerError.self) { try await totals.waitUntilCaughtUp(timeout: .milliseconds(100)) }
        #expect(late.message.contains("it is at 20"))
    }

    @Test("two threads catching up the same projection at once end with the rows of one replay")
    func racingThreads() async throws {
        let fixture = try LedgerFixture()
        for batch in 0..<20 { try append(fixture, batch * 100..<(batch + 1) * 100, stream: "s\(batch % 7)") }
        let ledger = fixture.ledger
        try await withThrowingTaskGroup(of: UInt64.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try PersistentProjection(ledger: ledger, projection: SampleStreamTotals(), eventsPerCommit: 50).catchUp()
                }
            }
            for try await reached in group { #expect(reached == 2000) }
        }
        let totals = try PersistentProjection(ledger: ledger, projection: SampleStreamTotals())
        #expect(try stored(totals).rows == (try replayed(ledger, through: 2000)))
    }

    @Test("a catch-up killed at random moments never leaves rows ahead of or behind their position (real child process)")
    func killDuringCatchUp() throws {
        let fixture = try LedgerFixture()
        for batch in 0..<40 { try append(fixture, batch * 500..<(batch + 1) * 500, stream: "s\(batch % 9)") }
        let head = try fixture.ledger.head().position
        let totals = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals())
        var positions: [UInt64] = []
        var interrupted = 0
        let rounds = ProcessInfo.processInfo.environment["LEDGER_KILL_ROUNDS"].flatMap(Int.init) ?? 6
        for round in 0..<rounds {
            let (child, output) = try ChildProcess.start(["keyedcatchup", fixture.url.path, "20"])
            let commits = Int.random(in: 0...(round == 0 ? 0 : 60))
            var printed = ""
            while printed.count(where: { $0 == "\n" }) < commits, !printed.contains("done") {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                printed += String(decoding: data, as: UTF8.self)
            }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            printed += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if !printed.contains("done") { interrupted += 1 }
            let (position, rows) = try stored(totals)
            positions.append(position)
            #expect(position % 20 == 0 || position == head)
            #expect(rows == (try replayed(fixture.ledger, through: position)), "round \(round): rows at \(position)")
        }
        #expect(positions == positions.sorted(), "the stored position only moves forward")
        #expect(interrupted > 0, "no round killed the catch-up before it finished: \(positions) of \(head)")
        #expect(try totals.catchUp() == head)
        #expect(try stored(totals).rows == (try replayed(fixture.ledger, through: head)))
        #expect(try fixture.ledger.verify().isIntact)
    }

    @Test("two processes catching up the same projection at once: both finish at the head, the rows are one replay's")
    func twoProcesses() throws {
        let fixture = try LedgerFixture()
        for batch in 0..<20 { try append(fixture, batch * 500..<(batch + 1) * 500, stream: "s\(batch % 5)") }
        let head = try fixture.ledger.head().position
        let children = try (0..<2).map { _ in try ChildProcess.start(["keyedcatchup", fixture.url.path, "100"]) }
        for (child, output) in children {
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            #expect(child.terminationStatus == 0)
            #expect(printed.contains("done \(head)"))
        }
        let totals = try PersistentProjection(ledger: fixture.ledger, projection: SampleStreamTotals())
        #expect(try stored(totals).rows == (try replayed(fixture.ledger, through: head)))
    }
}
