import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("Ledger reads")
struct LedgerReaderTests {
    /// 30 events: day i records event i, cycling over streams s/0, s/1, s/2, and over the three types.
    private func populated() throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        for i in 0..<30 {
            fixture.clock.set(day(Double(i)))
            let event: ProposedEvent = switch i % 3 {
            case 0: try .sample(UInt64(i))
            case 1: try ProposedEvent(NoteAdded(note: "note \(i)"))
            default: try ProposedEvent(AmountRecorded(amount: Int64(i)))
            }
            try fixture.ledger.append([event], to: "s/\(i % 3 == 0 ? 0 : (i % 2 == 0 ? 1 : 2))")
        }
        return fixture
    }

    @Test("a scan keeps at most about scanResidentLimit of the map resident, and reads the same either way")
    func scanResidentLimit() throws {
        let fixture = try LedgerFixture { $0.scanResidentLimit = 1 << 20 }
        let text = String(repeating: "x", count: 4_000)
        for batch in 0..<30 {
            try fixture.ledger.append(try (0..<100).map { try .sample(UInt64(batch * 100 + $0), text: text) }, to: "s/\(batch % 3)")
        }
        let limited = try fixture.ledger.replay(SampleTally())
        let limitedResident = try mappedResidentKilobytes(of: fixture.url)
        #expect(limited.eventsApplied == 3_000)
        #expect(limitedResident < 6_144, "\(limitedResident) kB of a 12 MB log resident after the scan")

        fixture.ledger.close()
        var options = LedgerOptions()
        options.scanResidentLimit = 0
        let unlimited = try Ledger(directory: fixture.url, registry: .samples(), options: options)
        defer { unlimited.close() }
        let full = try unlimited.replay(SampleTally())
        let fullResident = try mappedResidentKilobytes(of: fixture.url)
        #expect(full.state == limited.state)
        #expect(fullResident > 10_000, "\(fullResident) kB resident with no limit")
    }

    @Test("forward from a position returns that position and everything after, in order")
    func forward() throws {
        let fixture = try populated()
        #expect(try fixture.ledger.events(.all()).map(\.position) == Array(1...30))
        #expect(try fixture.ledger.events(.all(from: 28)).map(\.position) == [28, 29, 30])
        #expect(try fixture.ledger.events(.all(from: 31)).isEmpty)
        #expect(try fixture.ledger.events(.all(from: 5), limit: 2).map(\.position) == [5, 6])
    }

    @Test("backward from a position returns it and everything before, newest first")
    func backward() throws {
        let fixture = try populated()
        #expect(try fixture.ledger.events(.all(direction: .backward)).map(\.position) == Array((1...30).reversed()))
        #expect(try fixture.ledger.events(.all(from: 3, direction: .backward)).map(\.position) == [3, 2, 1])
        #expect(try fixture.ledger.events(.all(from: 1_000, direction: .backward), limit: 2).map(\.position) == [30, 29])
    }

    @Test("a stream reads its own events by revision, forward and backward")
    func byStream() throws {
        let fixture = try populated()
        let all = try fixture.ledger.events(.all())
        for name in ["s/0", "s/1", "s/2"] {
            let expected = all.filter { $0.stream == name }
            let forward = try fixture.ledger.events(.stream(name))
            #expect(forward == expected)
            #expect(forward.map(\.streamRevision) == Array(0..<UInt64(expected.count)))
            #expect(try fixture.ledger.events(.stream(name, direction: .backward)) == expected.reversed())
            #expect(try fixture.ledger.events(.stream(name, fromRevision: 2)) == Array(expected.dropFirst(2)))
            #expect(try fixture.ledger.events(.stream(name, fromRevision: 2, direction: .backward)) == Array(expected.prefix(3).reversed()))
        }
        #expect(try fixture.ledger.events(.stream("missing")).isEmpty)
    }

    @Test("a type reads exactly the events of that type, without scanning the others")
    func byType() throws {
        let fixture = try populated()
        let all = try fixture.ledger.events(.all())
        for type in ["Sample", "NoteAdded", "AmountRecorded"] {
            let expected = all.filter { $0.eventType == type }
            #expect(expected.count == 10)
            #expect(try fixture.ledger.events(.type(type)) == expected)
            #expect(try fixture.ledger.events(.type(type, direction: .backward)) == expected.reversed())
            #expect(try fixture.ledger.events(.type(type, from: 15)) == expected.filter { $0.position >= 15 })
            #expect(try fixture.ledger.events(.type(type, from: 15, direction: .backward)) == expected.filter { $0.position <= 15 }.reversed())
        }
        #expect(try fixture.ledger.events(.type("NeverStored")).isEmpty)
    }

    @Test("reads up to a recorded-at time return exactly what was recorded by then")
    func upToTime() throws {
        let fixture = try populated()
        // Event i (position i + 1) was recorded on day i.
        #expect(try fixture.ledger.events(.all().recorded(upTo: day(9))).map(\.position) == Array(1...10))
        #expect(try fixture.ledger.events(.all().recorded(upTo: day(9.5))).map(\.position) == Array(1...10))
        #expect(try fixture.ledger.events(.all().recorded(upTo: day(-1))).isEmpty)
        #expect(try fixture.ledger.events(.all().recorded(upTo: day(100))).count == 30)
        #expect(try fixture.ledger.events(.all(direction: .backward).recorded(upTo: day(4))).map(\.position) == [5, 4, 3, 2, 1])
        #expect(try fixture.ledger.events(.stream("s/0").recorded(upTo: day(7))).map(\.position) == [1, 4, 7])
        #expect(try fixture.ledger.events(.type("Sample", direction: .backward).recorded(upTo: day(7))).map(\.position) == [7, 4, 1])
        #expect(try fixture.ledger.events(.all().through(position: 3)).map(\.position) == [1, 2, 3])
        let found = try fixture.ledger.read { reader in
            try [day(0), day(29), day(-0.5), day(13.2)].map { try reader.lastPosition(recordedAtOrBefore: $0) }
        }
        #expect(found == [1, 30, 0, 14])
    }

    @Test("records read in place expose the envelope without copying")
    func recordsInPlace() throws {
        let fixture = try populated()
        try fixture.ledger.read { reader in
            var seen = 0
            try reader.withEvents(.all()) { cursor in
                while let record = try cursor.next() {
                    seen += 1
                    #expect(record.position == UInt64(seen))
                    #expect(record.recordedAt == day(Double(seen - 1)))
                    #expect(record.payload.count == record.storedBytes.count - 116 - 32)
                }
            }
            #expect(seen == 30)
            let streams = try reader.streams()
            #expect(streams.map(\.name) == ["s/0", "s/1", "s/2"])
            #expect(try reader.eventCount() == 30)
            let first = try #require(try reader.event(at: 1))
            #expect(try reader.position(ofEventID: first.id) == 1)
            #expect(try reader.event(at: 31) == nil)
        }
    }
}

/// The resident kilobytes of this process's mapping of `ledger`'s data file (/proc/self/smaps).
private func mappedResidentKilobytes(of ledger: URL) throws -> Int {
    let path = ledger.appendingPathComponent("data.mdb").resolvingSymlinksInPath().path
    // /proc files report a size of 0: read them to the end, not by their size.
    guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { throw SmapsUnreadable() }
    defer { try? handle.close() }
    let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    var inMapping = false
    var total = 0
    for line in smaps.split(separator: "\n") {
        if let first = line.first, first.isHexDigit, line.contains(" ") && line.split(separator: " ").count >= 5 && line.split(separator: " ")[1].count == 4 {
            inMapping = line.hasSuffix(path)
        } else if inMapping, line.hasPrefix("Rss:") {
            total += Int(line.split(separator: " ")[1]) ?? 0
        }
    }
    return total
}

private struct SmapsUnreadable: Error {}
