import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

@Suite("Ledger verification")
struct LedgerVerifierTests {
    /// A ledger of 50 events with unique, findable payloads, backed up into a copy whose data file
    /// the test may damage.
    private struct Damaged {
        let fixture: LedgerFixture
        let copyDirectory: TemporaryDirectory
        let events: [RecordedEvent]
        var copy: URL { copyDirectory.child("copy") }
    }

    private func ledgerAndCopy() throws -> Damaged {
        let fixture = try LedgerFixture()
        for i in 0..<50 {
            try fixture.ledger.append([.sample(UInt64(i), text: String(format: "MARKER-%04d", i))], to: "s/\(i % 4)")
        }
        let damaged = Damaged(fixture: fixture, copyDirectory: try TemporaryDirectory("copy"), events: try fixture.ledger.events(.all()))
        try fixture.ledger.backup(to: damaged.copy)
        return damaged
    }

    /// Flips one byte at `offset` from the first occurrence of `pattern` in the copy's data file.
    private func flip(_ copy: URL, after pattern: [UInt8], offset: Int) throws {
        let file = copy.appendingPathComponent("data.mdb")
        var data = try Data(contentsOf: file)
        let range = try #require(data.firstRange(of: Data(pattern)), "pattern not found in data file")
        #expect(data[(range.upperBound)...].firstRange(of: Data(pattern)) == nil, "pattern is not unique")
        data[range.lowerBound + offset] ^= 0x5A
        try data.write(to: file)
    }

    /// The first 48 bytes of a record (header through the event id): unique to it in the file.
    private func recordStart(_ event: RecordedEvent) -> [UInt8] { Array(event.canonicalBytes.prefix(48)) }

    private func verifyCopy(_ copy: URL) throws -> VerificationReport {
        let ledger = try Ledger(directory: copy, registry: .samples())
        defer { ledger.close() }
        return try ledger.verify()
    }

    @Test("an intact ledger verifies, and its head is the recomputed chain")
    func intact() throws {
        let damaged = try ledgerAndCopy()
        let (fixture, copy, events) = (damaged.fixture, damaged.copy, damaged.events)
        let report = try fixture.ledger.verify()
        #expect(report.isIntact)
        #expect(report.eventsChecked == 50)
        #expect(report.streamCount == 4)
        #expect(report.payloadsDecoded == 50)
        #expect(report.head.position == 50)
        #expect(report.head.hash == events.last?.chainHash)
        #expect(try fixture.ledger.head().hash == report.head.hash)
        #expect(try verifyCopy(copy).isIntact)
    }

    @Test("the chain is SHA-256(previous hash, canonical bytes), recomputable without the library's reader")
    func chainIsRecomputable() throws {
        let events = try ledgerAndCopy().events
        // Recompute the first link independently: SHA-256 of 32 zero bytes followed by the canonical bytes.
        var previous = ChainHash.genesis
        for event in events.prefix(3) {
            let digest = Sha256Reference.hash(previous.bytes + event.canonicalBytes)
            #expect(digest == event.chainHash.bytes)
            previous = event.chainHash
        }
    }

    @Test("a byte flipped in a payload is reported with the position at fault")
    func flippedPayloadByte() throws {
        let damaged = try ledgerAndCopy()
        try flip(damaged.copy, after: Array("MARKER-0037".utf8), offset: 9)
        let report = try verifyCopy(damaged.copy)
        let fault = try #require(report.firstFault)
        #expect(fault.kind == .chainMismatch)
        #expect(fault.position == 38)
        #expect(report.eventsChecked == 37)
    }

    @Test("a byte flipped in an envelope header field is reported with the position at fault")
    func flippedHeaderByte() throws {
        let damaged = try ledgerAndCopy()
        // The stream revision sits at offset 24 of the record.
        try flip(damaged.copy, after: recordStart(damaged.events[20]), offset: 24)
        let fault = try #require(try verifyCopy(damaged.copy).firstFault)
        #expect(fault.kind == .chainMismatch)
        #expect(fault.position == 21)
    }

    @Test("a damaged payload length is a corrupt record at that position, not a crash")
    func flippedLengthField() throws {
        let damaged = try ledgerAndCopy()
        let copy = damaged.copy
        // The payload length sits at offset 112 of the record.
        try flip(copy, after: recordStart(damaged.events[9]), offset: 112)
        let fault = try #require(try verifyCopy(copy).firstFault)
        #expect(fault.kind == .corruptRecord)
        #expect(fault.position == 10)
        // Reads of the damaged record throw an error naming the position.
        let ledger = try Ledger(directory: copy, registry: .samples())
        defer { ledger.close() }
        let error = try #require(throws: LedgerError.self) { _ = try ledger.events(.all()).count }
        #expect(error.code == .corruptRecord)
        #expect(error.position == 10)
    }

    @Test("a flipped stored hash is reported at its position")
    func flippedHash() throws {
        let damaged = try ledgerAndCopy()
        try flip(damaged.copy, after: damaged.events[44].chainHash.bytes, offset: 0)
        let fault = try #require(try verifyCopy(damaged.copy).firstFault)
        #expect(fault.kind == .chainMismatch)
        #expect(fault.position == 45)
    }

    @Test("a rewritten index entry is reported as an index mismatch")
    func damagedIndex() throws {
        let damaged = try ledgerAndCopy()
        let copy = damaged.copy
        // Point stream s/1's first revision at another position, through the storage layer.
        let environment = try LMDBEnvironment(path: copy.path, databases: ["streams", "stream-names"])
        let streams = try environment.database("streams")
        try environment.write { txn in
            var key = [UInt8](repeating: 0, count: 16)
            key[7] = 2 // stream key 2 (s/1), revision 0
            var value = [UInt8](repeating: 0, count: 8)
            value[7] = 40
            try key.withUnsafeBytes { k in try value.withUnsafeBytes { try txn.put(streams, key: k, value: $0) } }
        }
        environment.close()
        let fault = try #require(try verifyCopy(copy).firstFault)
        #expect(fault.kind == .indexMismatch)
        #expect(fault.position == 2)
    }

    @Test("verify reports progress and the payloads it could not decode")
    func progressAndUnregistered() throws {
        let damaged = try ledgerAndCopy()
        let copy = damaged.copy
        var registry = EventTypeRegistry()
        try registry.register(NoteAdded.self)
        let ledger = try Ledger(directory: copy, registry: registry)
        defer { ledger.close() }
        var reached: [UInt64] = []
        let report = try ledger.verify { reached.append($0) }
        #expect(report.isIntact)
        #expect(report.payloadsNotDecoded == 50)
        #expect(reached.last == 50)
    }
}
