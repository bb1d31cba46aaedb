import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("Ledger concurrency")
struct LedgerConcurrencyTests {
    @Test("8 concurrent tasks × 1,000 appends to 50 streams: positions 1...8000, contiguous revisions, chain verifies")
    func concurrentTasks() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let results = try await withThrowingTaskGroup(of: [AppendResult].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var results: [AppendResult] = []
                    for i in 0..<1_000 {
                        let stream = "mentorship/\((task * 1_000 + i) % 50)"
                        results.append(try await ledger.append([try .sample(UInt64(task * 1_000 + i))], to: stream))
                    }
                    return results
                }
            }
            var all: [AppendResult] = []
            for try await part in group { all += part }
            return all
        }
        #expect(results.count == 8_000)
        let positions = results.flatMap { Array($0.positions) }.sorted()
        #expect(positions == Array(1...8_000))

        let events = try ledger.events(.all())
        #expect(events.map(\.position) == Array(1...8_000))
        let byStream = Dictionary(grouping: events, by: \.stream)
        #expect(byStream.count == 50)
        for (stream, streamEvents) in byStream {
            #expect(streamEvents.map(\.streamRevision) == Array(0..<UInt64(streamEvents.count)), "stream \(stream)")
        }
        let sequences = Set(try events.map { try $0.decode(as: SampleEvent.self).sequence })
        #expect(sequences.count == 8_000)

        let report = try ledger.verify()
        #expect(report.isIntact, "\(String(describing: report.firstFault))")
        #expect(report.eventsChecked == 8_000)
        #expect(report.streamCount == 50)
    }

    @Test("appends from many threads at once are committed in groups and all land")
    func groupCommitFromThreads() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        DispatchQueue.concurrentPerform(iterations: 16) { thread in
            for i in 0..<100 {
                _ = try? ledger.append([try .sample(UInt64(thread * 100 + i))], to: "t/\(thread)")
            }
        }
        #expect(try ledger.head().position == 1_600)
        for thread in 0..<16 {
            #expect(try ledger.read { try $0.streamRevision(of: "t/\(thread)") } == 99)
        }
        #expect(try ledger.verify().isIntact)
    }

    @Test("readers see a consistent snapshot while the writer appends")
    func readersSeeSnapshots() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for i in 0..<300 {
                    try await ledger.append([try .sample(UInt64(i)), try .sample(UInt64(i))], to: "pairs")
                }
            }
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<200 {
                        try ledger.read { reader in
                            let head = try reader.head()
                            // Appends come in pairs: a snapshot never shows half of one.
                            #expect(head.position % 2 == 0)
                            var count: UInt64 = 0
                            try reader.forEach(.all()) { _ in count += 1 }
                            #expect(count == head.position)
                            #expect(try reader.streamRevision(of: "pairs").map { $0 + 1 } ?? 0 == head.position)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("two processes appending at once: gapless positions, nothing lost, chain verifies")
    func twoProcesses() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        // This process appends too while the children run.
        let (first, firstOutput) = try ChildProcess.start(["append", fixture.url.path, "600", "alpha", "7", "1"])
        let (second, secondOutput) = try ChildProcess.start(["append", fixture.url.path, "900", "beta", "5", "25"])
        var own: [UInt64: UUID] = [:]
        for i in 0..<200 {
            let event = try ProposedEvent.sample(UInt64(i), text: "parent")
            let result = try ledger.append([event], to: "parent")
            own[result.positions.lowerBound] = event.id
        }
        let firstLines = String(decoding: firstOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let secondLines = String(decoding: secondOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.terminationStatus == 0)

        var acknowledged = own
        for line in (firstLines + secondLines).split(separator: "\n") {
            let parts = line.split(separator: " ")
            let position = try #require(UInt64(parts[0]))
            let id = try #require(UUID(uuidString: String(parts[1])))
            #expect(acknowledged.updateValue(id, forKey: position) == nil, "position \(position) acknowledged twice")
        }
        #expect(acknowledged.count == 1_700)

        let events = try ledger.events(.all())
        #expect(events.map(\.position) == Array(1...1_700))
        for event in events {
            #expect(acknowledged[event.position] == event.id, "position \(event.position)")
        }
        #expect(Set(events.map(\.stream)).count == 13)
        let report = try ledger.verify()
        #expect(report.isIntact, "\(String(describing: report.firstFault))")
    }
}
