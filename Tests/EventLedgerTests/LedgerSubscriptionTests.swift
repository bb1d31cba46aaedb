import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("LedgerSubscription")
struct LedgerSubscriptionTests {
    @Test("catch-up then live: every event exactly once, in order, under concurrent appends")
    func exactlyOnce() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        for i in 0..<150 { try await ledger.append([.sample(UInt64(i))], to: "s\(i % 3)") }
        let total = 150 + 4 * 100

        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for i in 0..<100 {
                            if i % 10 == 0 {
                                try await ledger.append((0..<5).map { try ProposedEvent.sample(UInt64(writer * 1_000 + i + $0)) }, to: "w\(writer)")
                            } else if i % 10 < 6 {
                                try await ledger.append([.sample(UInt64(writer * 1_000 + i))], to: "w\(writer)")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        var seen: [UInt64] = []
        var ids = Set<UUID>()
        for try await event in ledger.subscribe(after: 0, pollInterval: .milliseconds(2)) {
            seen.append(event.position)
            ids.insert(event.id)
            if seen.count == total { break }
        }
        try await writers.value
        #expect(seen == Array(1...UInt64(total)))
        #expect(ids.count == total)
        #expect(try ledger.head().position == UInt64(total))
    }

    @Test("a subscription resumes after the position it was given")
    func resumesAfter() async throws {
        let fixture = try LedgerFixture()
        for i in 0..<20 { try await fixture.ledger.append([.sample(UInt64(i))], to: "s") }
        var iterator = fixture.ledger.subscribe(after: 15).makeAsyncIterator()
        let next = try await iterator.next()
        #expect(next?.position == 16)
        #expect(try next?.decode(as: SampleEvent.self).sequence == 15)
    }

    @Test("cancelling the task ends the sequence while it waits for commits")
    func cancellation() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try await ledger.append([.sample(0)], to: "s")
        let consumer = Task {
            var count = 0
            for try await _ in ledger.subscribe(pollInterval: .milliseconds(5)) { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(100))
        consumer.cancel()
        let count = try await consumer.value
        #expect(count == 1)
    }

    @Test("a process that did not write sees another process's commits by polling")
    func otherProcessCommits() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (child, output) = try ChildProcess.start(["append", fixture.url.path, "300", "child", "3", "7"])
        var acknowledged: [UInt64: String] = [:]
        let reader = Task.detached {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            return String(decoding: data, as: UTF8.self)
        }
        var seen: [UInt64: UUID] = [:]
        for try await event in ledger.subscribe(pollInterval: .milliseconds(5)) {
            seen[event.position] = event.id
            if seen.count == 300 { break }
        }
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
        for line in await reader.value.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let position = UInt64(parts[0]) { acknowledged[position] = String(parts[1]) }
        }
        #expect(acknowledged.count == 300)
        for (position, id) in acknowledged {
            #expect(seen[position]?.uuidString == id, "position \(position)")
        }
    }

    @Test("a commit by this process wakes a waiting subscriber without waiting for its poll")
    func inProcessWakeUp() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        // A poll interval of ten minutes: only the in-process signal can deliver within the test.
        let consumer = Task {
            var iterator = ledger.subscribe(pollInterval: .seconds(600)).makeAsyncIterator()
            return try await iterator.next()?.position
        }
        try await Task.sleep(for: .milliseconds(50))
        try await ledger.append([.sample(1)], to: "s")
        let delivered = try await withThrowingTaskGroup(of: UInt64?.self) { group in
            group.addTask { try await consumer.value }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                consumer.cancel()
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(delivered == 1)
    }

    @Test("cancelling a subscriber that waits with a long poll interval ends it at once")
    func cancellationWithLongPoll() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let consumer = Task {
            var iterator = ledger.subscribe(pollInterval: .seconds(600)).makeAsyncIterator()
            return try await iterator.next()
        }
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        let ended = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { _ = try await consumer.value; return true }
            group.addTask { try await Task.sleep(for: .seconds(60)); return false }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(ended)
    }
}
