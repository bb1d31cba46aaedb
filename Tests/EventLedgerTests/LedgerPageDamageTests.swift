import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

/// A ledger whose data file has a damaged B-tree page opens, reads every record before the
/// damage, stops with `corruptRecord` naming the first position it cannot read, refuses appends,
/// and `verify` reports the damage with that position: LMDB never reads the damaged page.
@Suite("Ledger page damage")
struct LedgerPageDamageTests {
    static let eventCount: UInt64 = 2_000

    /// A compact backup (every page in it is live) of a ledger of `eventCount` sample events in 8
    /// streams, with the leaf page of `database` in the middle of its key range flagged as a branch
    /// page. Returns the copy's directory and the first key on the damaged page.
    func damagedCopy(_ directory: TemporaryDirectory, database: String) throws -> (url: URL, firstKey: [UInt8]) {
        var options = LedgerOptions()
        options.durability = .noSync
        let ledger = try Ledger(directory: directory.child("ledger"), registry: .samples(), options: options)
        for start in stride(from: UInt64(0), to: Self.eventCount, by: 100) {
            try ledger.append((start..<start + 100).map { try .sample($0, text: "event \($0)") }, to: "s/\(start / 100 % 8)")
        }
        let copy = directory.child("copy")
        try ledger.backup(to: copy)
        ledger.close()

        let file = copy.appendingPathComponent("data.mdb")
        var bytes = [UInt8](try Data(contentsOf: file))
        let map = try #require(CampaignPageMap(bytes))
        func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
        let leaves = map.roles.indices.filter { if case .leaf(let name) = map.roles[$0] { name == database } else { false } }
        try #require(leaves.count >= 3, "the \(database) database should span several leaves")
        func firstKey(_ page: Int) -> [UInt8] {
            let node = page * map.pageSize + u16(page * map.pageSize + 16)
            return Array(bytes[(node + 8)..<(node + 8 + u16(node + 6))])
        }
        let sorted = leaves.sorted { firstKey($0).lexicographicallyPrecedes(firstKey($1)) }
        let page = sorted[sorted.count / 2]
        bytes[page * map.pageSize + 10] = 0x01 // P_LEAF → P_BRANCH: LMDB would assert IS_LEAF
        try Data(bytes).write(to: file)
        return (copy, firstKey(page))
    }

    func open(_ url: URL, checks: Bool = true, readOnly: Bool = true) throws -> Ledger {
        var options = LedgerOptions()
        options.readOnly = readOnly
        options.checksPagesAtOpen = checks
        return try Ledger(directory: url, registry: .samples(), options: options)
    }

    @Test("damage in the log: records before it read, the rest stop at its first position, verify names it, appends are refused")
    func damagedLogPage() throws {
        let directory = try TemporaryDirectory()
        let (url, key) = try damagedCopy(directory, database: "events")
        let first = key.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(first > 1 && first < Self.eventCount)

        let ledger = try open(url, readOnly: false)
        defer { ledger.close() }
        #expect(ledger.pageFaults.map(\.database) == ["events"])

        #expect(try ledger.read { try $0.event(at: first - 1)?.position } == first - 1)
        let readError = try #require(throws: LedgerError.self) { _ = try ledger.read { try $0.event(at: first + 3) } }
        #expect(readError.code == .corruptRecord)
        #expect(readError.position == first)
        #expect(readError.message.contains("from position \(first) on cannot be read"))

        let replayError = try #require(throws: LedgerError.self) { _ = try ledger.read { try $0.replay(SampleTally()) } }
        #expect(replayError.code == .corruptRecord)
        #expect(replayError.position == first)

        let report = try ledger.verify()
        let fault = try #require(report.firstFault)
        #expect(fault.kind == .storageFault)
        #expect(fault.position == first)
        #expect(report.eventsChecked == first - 1)
        #expect(fault.message.contains("page"))

        let appendError = try #require(throws: LedgerError.self) { _ = try ledger.append([.sample(1)], to: "s/0") }
        #expect(appendError.code == .corruptRecord)
        #expect(appendError.message.contains("nothing can be appended"))
    }

    @Test("with the check off at open, verify checks the pages itself and reports the damage before reading")
    func verifyChecksPagesWhenTheOpenDidNot() throws {
        let directory = try TemporaryDirectory()
        let (url, key) = try damagedCopy(directory, database: "events")
        let first = key.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let ledger = try open(url, checks: false)
        defer { ledger.close() }
        #expect(ledger.pageFaults.isEmpty)
        let fault = try #require(try ledger.verify().firstFault)
        #expect(fault.kind == .storageFault)
        #expect(fault.position == first)
    }

    @Test("damage in an index: verify names the first position whose index entry it stops")
    func damagedIndexPage() throws {
        let directory = try TemporaryDirectory()
        let (url, _) = try damagedCopy(directory, database: "event-ids")
        let ledger = try open(url)
        defer { ledger.close() }
        #expect(ledger.pageFaults.map(\.database) == ["event-ids"])
        // The log itself is intact and replays whole.
        #expect(try ledger.read { try $0.replay(SampleTally()).position } == Self.eventCount)
        let report = try ledger.verify()
        let fault = try #require(report.firstFault)
        #expect(fault.kind == .storageFault)
        let position = try #require(fault.position)
        #expect(position >= 1 && position <= Self.eventCount)
        #expect(fault.message.contains("'event-ids' database is damaged"))
    }

    @Test("an intact ledger reports no page faults, and verify passes with the check on or off")
    func intactLedger() throws {
        let fixture = try LedgerFixture()
        for n in 0..<50 { _ = try fixture.ledger.append([.sample(UInt64(n))], to: "s/\(n % 3)") }
        #expect(fixture.ledger.pageFaults.isEmpty)
        #expect(try fixture.ledger.verify().isIntact)
        fixture.ledger.close()
        let unchecked = try open(fixture.url, checks: false)
        defer { unchecked.close() }
        #expect(try unchecked.verify().isIntact)
    }
}
