import EventLedger
import Foundation
import LedgerTestSupport
import Testing
import FuzzSupport

/// Real processes killed with SIGKILL while they append: nothing acknowledged is lost, no batch is
/// partly present, positions stay gapless, the chain verifies and checkpoints agree with a replay.
///
/// `LEDGER_KILL_ROUNDS` sets the rounds (default 4; `make soak` runs 60).
@Suite("Kill recovery", .serialized)
struct KillRecoveryTests {
    static var rounds: Int { Int(ProcessInfo.processInfo.environment["LEDGER_KILL_ROUNDS"] ?? "") ?? 4 }

    @Test("SIGKILL at random moments: every acknowledged append survives, whole")
    func killedAppenders() throws {
        let directory = try TemporaryDirectory()
        let url = directory.child("ledger")
        try Ledger(directory: url, registry: .samples()).close()
        var random = FuzzRandom(seed: UInt64(ProcessInfo.processInfo.environment["LEDGER_KILL_SEED"] ?? "") ?? 0x5EED_0007)
        var acknowledged = 0
        var recoveredUnacknowledged = 0
        var checkpointRounds = 0
        for round in 0..<Self.rounds {
            let batch = [1, 1, 3, 16, 100][Int(random.next() % 5)]
            let streams = 1 + Int(random.next() % 6)
            let prefix = "round-\(round)"
            let (appender, output) = try ChildProcess.start(["append", url.path, "10000000", prefix, String(streams), String(batch)])
            // Sometimes a checkpointing reader runs too, and is killed with the appender.
            var catchup: Process?
            if round % 2 == 1 {
                catchup = try ChildProcess.start(["catchup", url.path, String(50 + random.next() % 500)]).0
                checkpointRounds += 1
            }
            let acks = AckCollector(output.fileHandleForReading)
            // Let it run long enough to commit something, then kill it mid-flight.
            acks.waitFor(atLeast: 1, timeout: 30)
            Thread.sleep(forTimeInterval: Double(random.next() % 400) / 1000)
            kill(appender.processIdentifier, SIGKILL)
            if let catchup { kill(catchup.processIdentifier, SIGKILL); catchup.waitUntilExit() }
            appender.waitUntilExit()
            let acked = acks.finish()
            try #require(!acked.isEmpty, "round \(round): the appender acknowledged nothing in 30 s")
            acknowledged += acked.count

            let ledger = try Ledger(directory: url, registry: .samples())
            defer { ledger.close() }
            let report = try ledger.verify()
            #expect(report.isIntact, "round \(round): \(String(describing: report.firstFault))")
            try ledger.read { reader in
                let head = try reader.head()
                #expect(try UInt64(reader.eventCount()) == head.position, "round \(round): positions are gapless")
                for (position, id) in acked {
                    #expect(try reader.position(ofEventID: id) == position, "round \(round): acknowledged \(id) at \(position) is missing")
                }
                // This round's events, by their sequence number: each batch is there whole, or not at all.
                var perBatch: [UInt64: Int] = [:]
                var seen = 0
                for stream in 0..<streams {
                    try reader.forEach(.stream("\(prefix)/\(stream)")) { record in
                        let event = try reader.decode(record, as: SampleEvent.self)
                        perBatch[event.sequence / UInt64(batch), default: 0] += 1
                        seen += 1
                    }
                }
                for (index, count) in perBatch { #expect(count == batch, "round \(round): batch \(index) is partly present (\(count) of \(batch))") }
                #expect(seen >= acked.count)
                recoveredUnacknowledged += seen - acked.count
            }
            // A checkpoint stored by a killed reader (or none) must catch up to exactly a full replay.
            let tally = try CheckpointedProjection(ledger: ledger, projection: SampleTally(), eventsPerCheckpoint: 97)
            let caughtUp = try tally.catchUp()
            let replayed = try ledger.replay(SampleTally())
            #expect(caughtUp.state == replayed.state, "round \(round): the checkpointed state differs from a full replay")
            #expect(caughtUp.position == replayed.position)
        }
        print("kill recovery: \(Self.rounds) rounds (\(checkpointRounds) with a killed checkpointing reader), \(acknowledged) acknowledged events, 0 lost, 0 partial batches, \(recoveredUnacknowledged) committed but not yet acknowledged when killed")
    }
}

/// Reads "<position> <id>" lines from a child on a thread of its own.
final class AckCollector: @unchecked Sendable {
    private let lock = NSCondition()
    private var acks: [(UInt64, UUID)] = []
    private var ended = false
    private let thread: Thread

    init(_ handle: FileHandle) {
        let box = Box()
        thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    let parts = line.split(separator: " ")
                    if parts.count == 2, let position = UInt64(parts[0]), let id = UUID(uuidString: String(parts[1])) {
                        box.collector?.add(position, id)
                    }
                }
            }
            box.collector?.end()
        }
        box.collector = self
        thread.start()
    }

    private final class Box: @unchecked Sendable { weak var collector: AckCollector? }

    private func add(_ position: UInt64, _ id: UUID) {
        lock.lock(); acks.append((position, id)); lock.broadcast(); lock.unlock()
    }

    private func end() {
        lock.lock(); ended = true; lock.broadcast(); lock.unlock()
    }

    /// The acknowledgements so far.
    var count: Int {
        lock.lock(); defer { lock.unlock() }
        return acks.count
    }

    /// Waits until `count` acknowledgements arrived (or the child ended, or `timeout` passed).
    func waitFor(atLeast count: Int, timeout: TimeInterval) {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        while acks.count < count, !ended, lock.wait(until: deadline) {}
        lock.unlock()
    }

    /// Waits for the child's output to end and returns every acknowledgement.
    func finish() -> [(UInt64, UUID)] {
        lock.lock()
        while !ended { lock.wait() }
        defer { lock.unlock() }
        return acks
    }
}

