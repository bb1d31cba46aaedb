import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("EventRecord")
struct EventRecordTests {
    @Test("decodePayload(as:) decodes the stored event; another type's payload is corruptRecord naming the position")
    func decodePayload() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger(directory: directory.child("l"), registry: .samples())
        defer { ledger.close() }
        try ledger.append([try .sample(42, text: "hello")], to: "s")
        try ledger.append([try ProposedEvent(NoteAdded(note: "a note"))], to: "s")
        try ledger.read { reader in
            let first = try #require(try reader.event(at: 1))
            let sample = try first.decodePayload(as: SampleEvent.self)
            #expect(sample.sequence == 42)
            #expect(sample.text == "hello")
            let second = try #require(try reader.event(at: 2))
            let error = try #require(throws: LedgerError.self) { _ = try second.decodePayload(as: SampleEvent.self) }
            #expect(error.code == .corruptRecord)
            #expect(error.position == 2)
        }
    }
}
