import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("Readers during writes (two processes)", .serialized)
struct ReadersDuringWritesTests {
    @Test("a long replay sees one snapshot while another process appends; neither waits for the other")
    func longReplayWhileAnotherProcessAppends() throws {
        let directory = try TemporaryDirectory()
        let url = directory.child("ledger")
        let ledger = try Ledger(directory: url, registry: .samples())
        defer { ledger.close() }
        for chunk in 0..<20 {
            try ledger.append(try (0..<1_000).map { try .sample(UInt64(chunk * 1_000 + $0)) }, to: "seed/\(chunk % 4)")
        }

        let (appender, output) = try ChildProcess.start(["append", url.path, "10000000", "live", "3", "10"])
        let acks = AckCollector(output.fileHandleForReading)
        defer {
            kill(appender.processIdentifier, SIGKILL)
            appender.waitUntilExit()
        }
        acks.waitFor(atLeast: 10, timeout: 30)

        var passes = 0
        var acknowledgedDuringRead = 0
        try ledger.read { reader in
            let head = try reader.head()
            let acknowledgedAtStart = acks.count
            // Replay the snapshot again and again until the other process has committed more
            // (at most 200 passes): the writer is not held up by this open read.
            while passes < 200 {
                let tally = try reader.replay(SampleTally())
                #expect(tally.position == head.position, "pass \(passes) saw a different end")
                #expect(UInt64(tally.state.samples) == head.position)
                #expect(try reader.head() == head, "the snapshot never moves")
                passes += 1
                if acks.count >= acknowledgedAtStart + 20 { break }
            }
            acknowledgedDuringRead = acks.count - acknowledgedAtStart
        }
        #expect(acknowledgedDuringRead >= 20, "the writer committed \(acknowledgedDuringRead) events during a read of \(passes) replays")
        // A new read sees what was committed meanwhile.
        let now = try ledger.head()
        #expect(now.position >= 20_000 + UInt64(acknowledgedDuringRead))

        // While the other process keeps writing, reads keep completing, each on a consistent snapshot.
        let before = acks.count
        for _ in 0..<200 {
            try ledger.read { reader in
                let head = try reader.head()
                let last = try #require(try reader.event(at: head.position))
                #expect(last.chainHash == head.hash)
                #expect(try reader.event(at: head.position + 1) == nil)
            }
        }
        acks.waitFor(atLeast: before + 10, timeout: 30)
        #expect(acks.count >= before + 10, "the writer kept going while 200 reads ran")
        #expect(try ledger.verify().isIntact)
    }
}
