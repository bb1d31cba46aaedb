import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Synchronization
import Testing

/// `Ledger.bulkAppend(reservingBytes:_:)` and its `~Copyable` `BulkAppender`: one write
/// transaction fed as it goes, what an import relies on.
///
/// Readers (another thread through the same `Ledger`, another process, subscribers) see all of
/// it or none of it; a throw rolls everything back; inside, `head` and `read` see the
/// transaction's own appends; `append` checks expected revisions and stored ids as
/// `Ledger.append` does and leaves the transaction usable after a rejected event; `copy`
/// reproduces another ledger record for record (same head, same bytes) and refuses, naming the
/// position, a record that does not continue this ledger; `store(_:)` and
/// `adoptIdentity(ledgerID:createdAt:)` make the source's seals verify on the copy.
@Suite("Ledger.bulkAppend and BulkAppender")
struct BulkAppenderTests {
    /// Room reserved for the small bulk appends of these tests.
    static let reserve = 8 << 20

    // MARK: - Isolation

    @Test("appends inside one bulk append are invisible to another thread, another process and the head until the closure returns")
    func invisibleUntilCommit() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(0)], to: "before")
        let before = try ledger.head()
        let ids = (0..<5).map { _ in UUID() }
        let directory = fixture.url

        try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            for (n, id) in ids.enumerated() {
                try appender.append(try .sample(UInt64(n + 1), id: id), to: "bulk/\(n % 2)")
            }
            try appender.append(try .sample(9), to: "before", expecting: .revision(0))
            #expect(appender.head.position == before.position + 6)

            // Another thread of this process, through the same Ledger instance.
            let seen = try Self.onAnotherThread {
                try ledger.read { reader throws in
                    (head: try reader.head(), count: try reader.eventCount(),
                     positions: try ids.map { try reader.position(ofEventID: $0) },
                     revision: try reader.streamRevision(of: "before"), streams: try reader.streams().map(\.name))
                }
            }
            #expect(seen.head == before, "another thread sees the head before the bulk append")
            #expect(seen.count == 1)
            #expect(seen.positions == [UInt64?](repeating: nil, count: ids.count), "no id of the bulk append is visible yet")
            #expect(seen.revision == 0)
            #expect(seen.streams == ["before"])
            #expect(try Self.onAnotherThread { try ledger.head() } == before)
            #expect(try Self.onAnotherThread { try ledger.events(.all()).count } == 1)

            // Another process opening the directory (read-only) sees the ledger as it was too.
            let inspection = try Self.inspect(directory)
            #expect(inspection.openError == nil, "\(inspection.openError ?? "")")
            #expect(inspection.headPosition == before.position)
            #expect(inspection.headHash == before.hash.hex)
            #expect(inspection.verifyIntact == true)
        }

        let after = try ledger.head()
        #expect(after.position == before.position + 6)
        #expect(try Self.onAnotherThread { try ledger.head() } == after)
        try ledger.read { reader throws in
            for (n, id) in ids.enumerated() { #expect(try reader.position(ofEventID: id) == UInt64(n + 2)) }
            #expect(try reader.streamRevision(of: "before") == 1)
            #expect(try reader.streamRevision(of: "bulk/0") == 2)
            #expect(try reader.streamRevision(of: "bulk/1") == 1)
        }
        let inspection = try Self.inspect(directory)
        #expect(inspection.headPosition == after.position)
        #expect(inspection.headHash == after.hash.hex)
        #expect(inspection.verifyIntact == true)
        #expect(try ledger.verify().isIntact)
    }

    @Test("appends from another thread wait until the bulk append commits and land after it")
    func otherAppendsWait() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(0)], to: "s")
        let other = Outcome<AppendResult>()

        try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            for n in 1...10 { try appender.append(try .sample(UInt64(n)), to: "bulk") }
            Thread { other.set(Result { try ledger.append([.sample(99)], to: "other") }) }.start()
            // Long enough for the other append to commit, if it did not wait.
            Thread.sleep(forTimeInterval: 0.2)
            #expect(!other.isSet, "an append from another thread committed inside the bulk append")
            #expect(appender.head.position == 11)
        }
        #expect(other.done.wait(timeout: .now() + 30) == .success, "the other append did not finish after the bulk append committed")
        #expect(try other.get().positions == 12..<13, "the waiting append lands after the bulk append's events")
        #expect(try ledger.head().position == 12)
        #expect(try ledger.verify().isIntact)
    }

    @Test("Ledger.append and bulkAppend inside the closure, or bulkAppend inside a read, are refused at once instead of waiting forever")
    func nestedCallsAreRefused() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            try appender.append(try .sample(1), to: "s")
            let append = try #require(throws: LedgerError.self) { try ledger.append([.sample(2)], to: "s") }
            #expect(append.code == .invalidRequest)
            let nested = try #require(throws: LedgerError.self) {
                try ledger.bulkAppend(reservingBytes: Self.reserve) { inner in try inner.append(try .sample(3), to: "s") }
            }
            #expect(nested.code == .invalidRequest)
            try appender.append(try .sample(4), to: "s")
        }
        #expect(try ledger.events(.all()).map { try $0.decode(as: SampleEvent.self).sequence } == [1, 4])

        let insideRead = try #require(throws: LedgerError.self) {
            try ledger.read { _ in
                try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in try appender.append(try .sample(5), to: "s") }
            }
        }
        #expect(insideRead.code == .invalidRequest)
        #expect(try ledger.head().position == 2)
    }

    @Test("a ledger opened read-only refuses a bulk append")
    func readOnlyRefuses() throws {
        let directory = try TemporaryDirectory()
        let url = directory.child("l")
        let writer = try Ledger(directory: url, registry: .samples())
        try writer.append([.sample(0)], to: "s")
        writer.close()
        var options = LedgerOptions()
        options.readOnly = true
        let ledger = try Ledger(directory: url, registry: .samples(), options: options)
        defer { ledger.close() }
        var ran = false
        let error = try #require(throws: LedgerError.self) {
            try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
                ran = true
                try appender.append(try .sample(1), to: "s")
            }
        }
        #expect(error.code == .invalidRequest)
        #expect(error.message.contains("read-only"))
        #expect(!ran, "the closure never runs")
        #expect(try ledger.head().position == 1)
    }

    // MARK: - Rollback

    @Test("a throw from the closure rolls back everything: head, ids, streams and new event types")
    func throwRollsBack() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(0)], to: "a")
        let before = try ledger.head()
        let ids = (0..<3).map { _ in UUID() }

        #expect(throws: Abandon.self) {
            try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
                try appender.append(try .sample(1, id: ids[0]), to: "a", expecting: .revision(0))
                try appender.append(try .sample(2, id: ids[1]), to: "new stream", expecting: .noStream)
                // A type the ledger has never stored: the transaction gives it a tag.
                try appender.append(try ProposedEvent(NoteAdded(note: "first note"), id: ids[2]), to: "notes")
                #expect(appender.count == 3)
                throw Abandon()
            }
        }
        try Self.expectUnchanged(ledger, before: before, ids: ids)
        #expect(try ledger.read { try $0.typeTag(of: NoteAdded.eventType) } == nil, "the rolled-back type tag is not stored")

        // A ledger error thrown by an append inside the closure rolls back the earlier appends too.
        let wrong = try #require(throws: LedgerError.self) {
            try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
                try appender.append(try .sample(1, id: ids[0]), to: "a")
                try appender.append(try .sample(2, id: ids[1]), to: "new stream")
                try appender.append(try .sample(3), to: "a", expecting: .revision(0))
            }
        }
        #expect(wrong.code == .wrongExpectedRevision)
        try Self.expectUnchanged(ledger, before: before, ids: ids)

        // Afterwards the ledger goes on at the next position, the ids are free and the type is
        // tagged afresh; it reads the same after reopening.
        let note = try ledger.append([try ProposedEvent(NoteAdded(note: "after"), id: ids[2])], to: "notes", expecting: .noStream)
        #expect(note.positions == 2..<3)
        try ledger.append([.sample(1, id: ids[0])], to: "a", expecting: .revision(0))
        try ledger.append([.sample(2, id: ids[1])], to: "new stream", expecting: .noStream)
        #expect(try ledger.events(.stream("notes")).first?.decode(as: NoteAdded.self).note == "after")
        #expect(try ledger.verify().isIntact)
        fixture.ledger.close()
        let reopened = try Ledger(directory: fixture.url, registry: .samples())
        defer { reopened.close() }
        #expect(try reopened.verify().isIntact)
        #expect(try reopened.events(.type(NoteAdded.eventType)).map { try $0.decode(as: NoteAdded.self).note } == ["after"])
        #expect(try reopened.read { reader in try ids.map { try reader.position(ofEventID: $0) } } == [3, 4, 2])
    }

    @Test("a bulk append that fills the map throws .full and writes nothing; the ledger stays usable")
    func fullMapWritesNothing() throws {
        let directory = try TemporaryDirectory()
        var options = LedgerOptions()
        options.initialMapSize = 1 << 20
        options.maximumMapSize = 2 << 20
        options.durability = .noSync
        let ledger = try Ledger(directory: directory.child("l"), registry: .samples(), options: options)
        defer { ledger.close() }
        try ledger.append([.sample(0)], to: "s")
        let before = try ledger.head()
        let text = String(repeating: "x", count: 2_000)
        let error = try #require(throws: LedgerError.self) {
            try ledger.bulkAppend(reservingBytes: 64 << 20) { appender in
                // About 4 MB: twice the maximum map.
                for n in 1...2_000 { try appender.append(try .sample(UInt64(n), text: text), to: "s/\(n % 5)") }
            }
        }
        #expect(error.code == .full)
        #expect(try ledger.head() == before)
        #expect(try ledger.read { try $0.eventCount() } == 1)
        #expect(try ledger.verify().isIntact)
        try ledger.append([.sample(1)], to: "s")
        #expect(try ledger.head().position == 2)
    }

    // MARK: - Inside the transaction

    @Test("head and read inside the closure see the transaction's own appends")
    func ownAppendsVisibleInside() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(0)], to: "a")
        let before = try ledger.head()
        let first = UUID()
        let second = UUID()
        let headInside = try ledger.bulkAppend(reservingBytes: Self.reserve) { appender -> LedgerHead in
            #expect(appender.head.position == before.position)
            #expect(appender.head.hash == before.hash)
            #expect(appender.count == 0)
            let existing = try appender.append(try .sample(1, id: first), to: "a")
            #expect(existing.positions == 2..<3)
            #expect(existing.revision == 1)
            let created = try appender.append(try .sample(2, id: second), to: "b")
            #expect(created.positions == 3..<4)
            #expect(created.revision == 0)
            #expect(appender.count == 2)
            #expect(appender.head.position == 3)
            #expect(appender.head.hash != before.hash)

            let head = appender.head
            try appender.read { reader throws in
                let seen = try reader.head()
                #expect(seen.position == head.position)
                #expect(seen.hash == head.hash)
                #expect(try reader.eventCount() == 3)
                #expect(try reader.position(ofEventID: first) == 2)
                #expect(try reader.position(ofEventID: second) == 3)
                let record = try #require(try reader.event(at: 3))
                #expect(record.chainHash == head.hash)
                #expect(try reader.decode(record, as: SampleEvent.self).sequence == 2)
                let events = try reader.events(.all(from: 2))
                #expect(events.map(\.stream) == ["a", "b"])
                #expect(events.map(\.id) == [first, second])
                // An existing stream's events are found by name, its own appends included.
                #expect(try reader.events(.stream("a")).map(\.position) == [1, 2])
            }
            return head
        }
        let after = try ledger.head()
        #expect(after.position == headInside.position)
        #expect(after.hash == headInside.hash)
        #expect(try ledger.read { try $0.streamRevision(of: "b") } == 0)
        #expect(try ledger.verify().isIntact)
    }

    @Test("inside the closure, the revision read of an existing stream counts the transaction's own appends to it")
    func streamRevisionInside() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(0)], to: "a")
        try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            let result = try appender.append(try .sample(1), to: "a", expecting: .revision(0))
            #expect(result.revision == 1)
            try appender.read { reader throws in
                // The stream's events, read by name, include the new one at revision 1 ...
                #expect(try reader.events(.stream("a")).map(\.streamRevision) == [0, 1])
                // ... so its revision, read by name, should be 1 too (a caller computing the next
                // expected revision from it would be refused).
                #expect(try reader.streamRevision(of: "a") == 1, "the revision of an existing stream counts this transaction's append")
                #expect(try reader.streams().map(\.revision) == [1])
            }
            // What the append check itself sees: revision 1.
            #expect(try appender.append(try .sample(2), to: "a", expecting: .revision(1)).revision == 2)
        }
        #expect(try ledger.read { try $0.streamRevision(of: "a") } == 2)
    }

    @Test("append checks expected revisions against the transaction's own appends; a rejected event leaves the transaction usable")
    func expectedRevisions() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.append([.sample(0)], to: "a")
        try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            let noStream = try #require(throws: LedgerError.self) { try appender.append(try .sample(1), to: "a", expecting: .noStream) }
            #expect(noStream.code == .wrongExpectedRevision)
            #expect(noStream.stream == "a")
            #expect(noStream.message.contains("expected no stream"))
            #expect(noStream.message.contains("at revision 0"))

            #expect(try appender.append(try .sample(2), to: "a", expecting: .revision(0)).revision == 1)
            // The same expectation again fails: the stream is at revision 1 now, in this transaction.
            let stale = try #require(throws: LedgerError.self) { try appender.append(try .sample(3), to: "a", expecting: .revision(0)) }
            #expect(stale.code == .wrongExpectedRevision)
            #expect(stale.message.contains("expected revision 0"))
            #expect(stale.message.contains("at revision 1"))

            #expect(try appender.append(try .sample(4), to: "b", expecting: .noStream).revision == 0)
            let created = try #require(throws: LedgerError.self) { try appender.append(try .sample(5), to: "b", expecting: .noStream) }
            #expect(created.code == .wrongExpectedRevision)
            #expect(created.stream == "b")

            let missing = try #require(throws: LedgerError.self) { try appender.append(try .sample(6), to: "c", expecting: .exists) }
            #expect(missing.code == .wrongExpectedRevision)
            #expect(missing.message.contains("has no events"))

            // Other checks Ledger.append makes.
            let unknown = try #require(throws: LedgerError.self) {
                try appender.append(ProposedEvent(eventType: "Nope", schemaVersion: 1, payload: []), to: "c")
            }
            #expect(unknown.code == .unknownEventType)
            let badName = try #require(throws: LedgerError.self) { try appender.append(try .sample(7), to: "") }
            #expect(badName.code == .invalidStreamName)
            var negative = EventPayloadWriter()
            negative.write(Int64(-5))
            let invalid = try #require(throws: LedgerError.self) {
                try appender.append(ProposedEvent(eventType: AmountRecorded.eventType, schemaVersion: 1, payload: negative.bytes), to: "c")
            }
            #expect(invalid.code == .invalidEvent)

            #expect(appender.count == 2, "rejected events are not counted")
            #expect(appender.head.position == 3)
            // Still usable after every rejection.
            #expect(try appender.append(try .sample(8), to: "c", expecting: .noStream).positions == 4..<5)
            #expect(try appender.append(try .sample(9), to: "a", expecting: .revision(1)).revision == 2)
        }
        try ledger.read { reader throws in
            #expect(try reader.streamRevision(of: "a") == 2)
            #expect(try reader.streamRevision(of: "b") == 0)
            #expect(try reader.streamRevision(of: "c") == 0)
            #expect(try reader.eventCount() == 5)
        }
        #expect(try ledger.events(.all()).map { try $0.decode(as: SampleEvent.self).sequence } == [0, 2, 4, 8, 9])
        #expect(try ledger.verify().isIntact)
    }

    @Test("an id already stored is refused with idempotencyConflict, even with the same content, and the transaction goes on")
    func storedIDThenContinue() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let stored = UUID()
        let fresh = UUID()
        try ledger.append([.sample(0, id: stored)], to: "a")
        let outcome = Result {
            try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
                let inBulk = UUID()
                try appender.append(try .sample(1, id: inBulk), to: "a")
                let retry = try #require(throws: LedgerError.self) { try appender.append(try .sample(0, id: stored), to: "a") }
                #expect(retry.code == .idempotencyConflict)
                #expect(retry.stream == "a")
                #expect(retry.message.contains(stored.uuidString.lowercased()))
                #expect(appender.count == 1)
                #expect(appender.head.position == 2)
                // The transaction stays usable: the next event takes the next position.
                let next = try appender.append(try .sample(2, id: fresh), to: "a")
                #expect(next.positions == 3..<4)
                #expect(next.revision == 2)
                // An id this transaction appended is stored too.
                let again = try #require(throws: LedgerError.self) { try appender.append(try .sample(1, id: inBulk), to: "b") }
                #expect(again.code == .idempotencyConflict)
                #expect(appender.count == 2)
            }
        }
        #expect(throws: Never.self) { try outcome.get() }
        try Self.expectOnly(ledger, sequences: [0, 1, 2], storedID: stored, at: 1)
        #expect(try ledger.read { try $0.position(ofEventID: fresh) } == 3)
    }

    @Test("an id already stored is refused and nothing of the refused event is committed when the closure returns right after")
    func storedIDThenCommit() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let stored = UUID()
        try ledger.append([.sample(0, id: stored)], to: "a")
        try ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            try appender.append(try .sample(1), to: "a")
            let retry = try #require(throws: LedgerError.self) { try appender.append(try .sample(7, id: stored), to: "new") }
            #expect(retry.code == .idempotencyConflict)
        }
        try Self.expectOnly(ledger, sequences: [0, 1], storedID: stored, at: 1)
        #expect(try ledger.read { try $0.streams().map(\.name) } == ["a"], "the refused event's stream is not created")
    }

    // MARK: - Copies of another ledger

    @Test("copying every record of a source ledger yields the same head and the same records byte for byte; appends go on after it")
    func faithfulCopy() throws {
        let source = try Self.sourceLedger()
        let records = try source.ledger.events(.all())
        let target = try LedgerFixture()
        // In two transactions: a copy continues across commits.
        let half = records.count / 2
        for part in [records[..<half], records[half...]] {
            let copied = try target.ledger.bulkAppend(reservingBytes: Self.reserve) { appender -> Int in
                for record in part {
                    try appender.copy(canonical: record.canonicalBytes, chainHash: record.chainHash, stream: record.stream, eventType: record.eventType)
                    #expect(appender.head.position == record.position)
                    #expect(appender.head.hash == record.chainHash)
                }
                return appender.count
            }
            #expect(copied == part.count)
        }
        try Self.expectSameContent(target.ledger, source.ledger)

        // The copy takes appends of its own: existing streams go on, new streams and a type the
        // source never used get keys and tags of their own.
        let head = try source.ledger.head()
        let revision = try #require(try source.ledger.read { try $0.streamRevision(of: "s/0") })
        let more = try target.ledger.append([.sample(100)], to: "s/0", expecting: .revision(revision))
        #expect(more.positions == head.position + 1..<head.position + 2)
        try target.ledger.append([.sample(101)], to: "brand new", expecting: .noStream)
        try target.ledger.append([try ProposedEvent(AmountRecorded(amount: 5))], to: "money")
        try target.ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            try appender.append(try .sample(102), to: "s/1")
            try appender.append(try .sample(103), to: "bulk new")
        }
        target.ledger.close()
        let reopened = try Ledger(directory: target.url, registry: .samples())
        defer { reopened.close() }
        #expect(try reopened.verify().isIntact)
        #expect(try reopened.events(.all(from: head.position + 1)).map(\.stream) == ["s/0", "brand new", "money", "s/1", "bulk new"])
        #expect(try reopened.events(.stream("money")).first?.decode(as: AmountRecorded.self).amount == 5)
        #expect(try reopened.events(.all().through(position: head.position)) == records, "the copied records are untouched")
    }

    @Test("copy refuses, naming the position, a record out of order, a wrong chain hash, changed bytes, a stream that does not match, an unknown type; the transaction goes on")
    func copyRefusals() throws {
        let source = try Self.sourceLedger()
        let records = try source.ledger.events(.all())
        // The source's first three records are on streams s/0, s/1, s/2 (keys 1, 2, 3), each at
        // revision 0, and the fourth is on s/0 at revision 1.
        try #require(records.prefix(4).map(\.stream) == ["s/0", "s/1", "s/2", "s/0"])
        try #require(Set(records.map(\.recordedAt)).count > 4, "the source records at distinct times")
        let target = try LedgerFixture()

        try target.ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            func refused(_ record: RecordedEvent, canonical: [UInt8]? = nil, chainHash: ChainHash? = nil, stream: String? = nil,
                         eventType: String? = nil) throws -> LedgerError {
                let bytes = canonical ?? record.canonicalBytes
                return try #require(throws: LedgerError.self) {
                    try appender.copy(canonical: bytes, chainHash: chainHash ?? record.chainHash,
                                      stream: stream ?? record.stream, eventType: eventType ?? record.eventType)
                }
            }
            func expect(_ error: LedgerError, _ code: LedgerError.Code, position: UInt64, mentions text: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
                #expect(error.position == position, "\(error)", sourceLocation: sourceLocation)
                #expect(error.message.contains("position \(position)"), "\(error)", sourceLocation: sourceLocation)
                #expect(error.message.contains(text), "\(error)", sourceLocation: sourceLocation)
            }

            // Out of order: position 2 into an empty ledger.
            expect(try refused(records[1]), .invalidRequest, position: 2, mentions: "next position is 1")
            // The chain hash of another record.
            expect(try refused(records[0], chainHash: records[1].chainHash), .invalidRequest, position: 1, mentions: "chain hash")
            // One canonical byte changed (in the event id), the stored chain hash kept.
            var changed = records[0].canonicalBytes
            changed[40] ^= 0x01
            expect(try refused(records[0], canonical: changed), .invalidRequest, position: 1, mentions: "chain hash")
            // Not a record at all.
            let truncated = try refused(records[0], canonical: Array(records[0].canonicalBytes.prefix(60)))
            #expect(truncated.code == .corruptRecord, "\(truncated)")
            // A type this ledger does not know.
            let unknown = try refused(records[0], eventType: "Nope")
            #expect(unknown.code == .unknownEventType, "\(unknown)")
            #expect(appender.count == 0)
            #expect(appender.head.position == 0)

            try Self.copy(records[0], into: &appender)
            // Recorded-at earlier than the record before it, the chain hash recomputed to match
            // (what a forger would do): still refused.
            var earlier = records[1].canonicalBytes
            Self.setRecordedAt(&earlier, Timestamp(microsecondsSinceEpoch: records[0].recordedAt.microsecondsSinceEpoch - 1))
            expect(try refused(records[1], canonical: earlier, chainHash: records[0].chainHash.next(canonicalBytes: earlier)),
                   .invalidRequest, position: 2, mentions: "recorded-at")

            try Self.copy(records[1], into: &appender)
            try Self.copy(records[2], into: &appender)
            // Record 4 (s/0, key 1, revision 1) named as stream s/1, which has key 2 here.
            expect(try refused(records[3], stream: "s/1"), .invalidRequest, position: 4, mentions: "stream 's/1' has key 2 here")
            // Named as a stream this ledger does not have: its revision 1 cannot start it.
            expect(try refused(records[3], stream: "s/elsewhere"), .invalidRequest, position: 4, mentions: "has no events here")
            // Its stream key changed to 2 (s/1's) at revision 0 under a new name, hash recomputed.
            var stolenKey = records[3].canonicalBytes
            Self.setUInt64(&stolenKey, at: 16, 2)
            Self.setUInt64(&stolenKey, at: 24, 0)
            expect(try refused(records[3], canonical: stolenKey, chainHash: records[2].chainHash.next(canonicalBytes: stolenKey), stream: "s/other"),
                   .invalidRequest, position: 4, mentions: "stream key 2 already stands for 's/1'")
            #expect(appender.count == 3)
            #expect(appender.head.hash == records[2].chainHash)

            // The transaction is still good: the rest of the copy goes in.
            for record in records.dropFirst(3) { try Self.copy(record, into: &appender) }
        }
        try Self.expectSameContent(target.ledger, source.ledger)
    }

    @Test("a refused copy rethrown from the closure rolls back the records copied before it")
    func refusedCopyRollsBack() throws {
        let source = try Self.sourceLedger()
        let records = try source.ledger.events(.all())
        let target = try LedgerFixture()
        let error = try #require(throws: LedgerError.self) {
            try target.ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
                for record in records.prefix(5) { try Self.copy(record, into: &appender) }
                try Self.copy(records[6], into: &appender)
            }
        }
        #expect(error.code == .invalidRequest)
        #expect(error.position == 7)
        #expect(try target.ledger.head() == LedgerHead(position: 0, hash: .genesis, recordedAt: nil))
        #expect(try target.ledger.read { reader in try records.prefix(5).map { try reader.position(ofEventID: $0.id) } } == [nil, nil, nil, nil, nil])
        #expect(try target.ledger.read { try $0.streams().isEmpty })
    }

    @Test("a copy whose event id is already stored is refused naming the position, and nothing of it is committed")
    func copyOfStoredID() throws {
        let source = try Self.sourceLedger()
        let records = try source.ledger.events(.all())
        let target = try LedgerFixture()
        try target.ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            for record in records.prefix(3) { try Self.copy(record, into: &appender) }
        }
        try target.ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            // Record 4 with its id replaced by record 1's (chain hash recomputed): the id is stored.
            var reused = records[3].canonicalBytes
            reused.replaceSubrange(32..<48, with: Self.bytes(of: records[0].id))
            let error = try #require(throws: LedgerError.self) {
                try appender.copy(canonical: reused, chainHash: records[2].chainHash.next(canonicalBytes: reused),
                                  stream: records[3].stream, eventType: records[3].eventType)
            }
            #expect(error.code == .invalidRequest)
            #expect(error.position == 4)
            #expect(error.message.contains("is already stored"))
        }
        let head = try target.ledger.head()
        #expect(head.position == 3, "the refused record is not committed (the head is at \(head.position))")
        #expect(try target.ledger.read { try $0.eventCount() } == 3)
        #expect(try target.ledger.read { try $0.position(ofEventID: records[0].id) } == 1)
        let report = try target.ledger.verify()
        #expect(report.isIntact, "\(String(describing: report.firstFault))")
    }

    @Test("stored seals and an adopted identity make the copy's seals those of the source, signed for its id")
    func sealsAndIdentity() throws {
        let key = SealKey.random()
        let source = try LedgerFixture()
        for n in 0..<10 { try source.ledger.append([.sample(UInt64(n))], to: "s/\(n % 3)") }
        let first = try source.ledger.seal(with: key)
        for n in 10..<15 { try source.ledger.append([.sample(UInt64(n))], to: "s/\(n % 3)") }
        let second = try source.ledger.seal(with: key)
        let seals = try source.ledger.seals()
        try #require(seals == [first, second])
        let records = try source.ledger.events(.all())

        let target = try LedgerFixture(clockStart: day(30))
        let originalID = target.ledger.ledgerID
        #expect(originalID != source.ledger.ledgerID)
        try target.ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            for record in records.prefix(Int(first.position)) { try Self.copy(record, into: &appender) }
            // A seal past the position reached is refused, naming its position.
            let early = try #require(throws: LedgerError.self) { try appender.store(second) }
            #expect(early.code == .invalidRequest)
            #expect(early.position == second.position)
            // A seal whose hash is not the chain's there.
            let forged = HeadSeal(position: first.position, hash: records[0].chainHash, sealedAt: first.sealedAt, mac: first.mac)
            let mismatch = try #require(throws: LedgerError.self) { try appender.store(forged) }
            #expect(mismatch.code == .invalidRequest)
            #expect(mismatch.position == first.position)

            try appender.store(first)
            for record in records.dropFirst(Int(first.position)) { try Self.copy(record, into: &appender) }
            try appender.store(second)
            try appender.adoptIdentity(ledgerID: source.ledger.ledgerID, createdAt: source.ledger.createdAt)
        }
        #expect(try target.ledger.seals() == seals)
        #expect(target.ledger.ledgerID == originalID, "the open instance keeps the id it was opened with")
        target.ledger.close()

        let reopened = try Ledger(directory: target.url, registry: .samples())
        defer { reopened.close() }
        #expect(reopened.ledgerID == source.ledger.ledgerID)
        #expect(reopened.createdAt == source.ledger.createdAt)
        #expect(try reopened.seals() == seals)
        for seal in try reopened.seals() { #expect(seal.isSigned(by: key, ledgerID: reopened.ledgerID)) }
        let report = try reopened.verifySeals(with: key)
        #expect(report.isIntact, "\(String(describing: report.firstBadSeal?.reason))")
        #expect(report.validSeals == seals)
        try Self.expectSameContent(reopened, source.ledger)

        // Without the adopted identity the same seals are not the copy's.
        let unadopted = try LedgerFixture()
        try unadopted.ledger.bulkAppend(reservingBytes: Self.reserve) { appender in
            for record in records { try Self.copy(record, into: &appender) }
            for seal in seals { try appender.store(seal) }
        }
        #expect(try unadopted.ledger.seals() == seals)
        #expect(!first.isSigned(by: key, ledgerID: unadopted.ledger.ledgerID))
        let unproven = try unadopted.ledger.verifySeals(with: key)
        #expect(unproven.verification.isIntact)
        #expect(!unproven.isIntact)
        #expect(unproven.firstBadSeal?.reason.contains("was not made with this key for this ledger") == true)
    }

    // MARK: - Subscribers

    @Test("subscribers see nothing of a bulk append while it runs, then each of its events once; the commit wakes them")
    func subscribersAfterCommit() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try await ledger.append([.sample(0)], to: "s")
        let polling = PositionLog()
        let waking = PositionLog()
        let fast = Task {
            for try await event in ledger.subscribe(after: 1, pollInterval: .milliseconds(2)) { polling.add(event.position) }
        }
        // Polls every ten minutes: only the in-process commit signal can deliver within the test.
        let slow = Task {
            for try await event in ledger.subscribe(after: 1, pollInterval: .seconds(600)) { waking.add(event.position) }
        }
        try await Task.sleep(for: .milliseconds(50))
        let count = 40
        let during = try await Self.onThread {
            try ledger.bulkAppend(reservingBytes: Self.reserve) { appender -> (Int, Int) in
                for n in 1...count { try appender.append(try .sample(UInt64(n)), to: "bulk/\(n % 4)") }
                // The fast subscriber polls about a hundred times meanwhile.
                Thread.sleep(forTimeInterval: 0.2)
                return (polling.positions.count, waking.positions.count)
            }
        }
        #expect(during == (0, 0), "a subscriber saw events of an uncommitted bulk append")
        let expected = Array(2...UInt64(count + 1))
        let deadline = ContinuousClock.now + .seconds(30)
        while (polling.positions.count < count || waking.positions.count < count), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        // Time for a duplicate to show up, if one were coming.
        try await Task.sleep(for: .milliseconds(100))
        fast.cancel()
        slow.cancel()
        _ = try await fast.value
        _ = try await slow.value
        #expect(polling.positions == expected, "the polling subscriber sees each event once, in order")
        #expect(waking.positions == expected, "the commit wakes a subscriber with a ten-minute poll interval; each event once")
    }

    // MARK: - Helpers

    private struct Abandon: Error {}

    /// A source ledger: 30 records on streams s/0, s/1, s/2 in turn (the first three create them)
    /// and a notes stream, of two types, with actors, correlation and causation ids, each
    /// recorded a minute after the one before.
    static func sourceLedger() throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        let actor = UUID()
        for n in 0..<30 {
            fixture.clock.advance(seconds: 60)
            if n % 7 == 6 {
                let event = try ProposedEvent(NoteAdded(note: "note \(n)", author: actor), occurredAt: day(Double(n) / 10),
                                              actor: actor, correlationID: UUID(), causationID: UUID())
                try fixture.ledger.append([event], to: "notes")
            } else if n == 10 {
                // One multi-stream append: two records at the same recorded-at.
                try fixture.ledger.append([
                    StreamAppend(stream: "s/0", events: [try .sample(UInt64(n), text: "batch")]),
                    StreamAppend(stream: "s/1", events: [try .sample(UInt64(n) + 1000, text: "batch")]),
                ])
            } else {
                try fixture.ledger.append([try .sample(UInt64(n), text: "event \(n)", occurredAt: day(Double(n) / 10))], to: "s/\(n % 3)")
            }
        }
        return fixture
    }

    static func copy(_ record: RecordedEvent, into appender: inout BulkAppender) throws {
        try appender.copy(canonical: record.canonicalBytes, chainHash: record.chainHash, stream: record.stream, eventType: record.eventType)
    }

    /// Expects `copy` to hold exactly what `source` holds: head, records byte for byte, streams,
    /// type tags; both intact.
    static func expectSameContent(_ copy: Ledger, _ source: Ledger, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try copy.head() == source.head(), sourceLocation: sourceLocation)
        let copied = try copy.events(.all())
        let original = try source.events(.all())
        #expect(copied == original, "the same records", sourceLocation: sourceLocation)
        #expect(copied.map(\.canonicalBytes) == original.map(\.canonicalBytes), sourceLocation: sourceLocation)
        let streams = { (ledger: Ledger) in try ledger.read { try $0.streams().map { "\($0.name)@\($0.revision)" } } }
        #expect(try streams(copy) == streams(source), sourceLocation: sourceLocation)
        for type in Set(original.map(\.eventType)) {
            #expect(try copy.read { try $0.typeTag(of: type) } == source.read { try $0.typeTag(of: type) }, "\(type)", sourceLocation: sourceLocation)
            #expect(try copy.events(.type(type)).map(\.position) == source.events(.type(type)).map(\.position), sourceLocation: sourceLocation)
        }
        for record in original {
            #expect(try copy.read { try $0.position(ofEventID: record.id) } == record.position, sourceLocation: sourceLocation)
        }
        let report = try copy.verify()
        #expect(report.isIntact, "\(String(describing: report.firstFault))", sourceLocation: sourceLocation)
    }

    /// Expects `ledger` to be as it was before a rolled-back bulk append.
    static func expectUnchanged(_ ledger: Ledger, before: LedgerHead, ids: [UUID], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try ledger.head() == before, sourceLocation: sourceLocation)
        try ledger.read { reader throws in
            #expect(try reader.eventCount() == Int(before.position), sourceLocation: sourceLocation)
            for id in ids { #expect(try reader.position(ofEventID: id) == nil, "\(id) is not stored", sourceLocation: sourceLocation) }
            #expect(try reader.streams().map(\.name) == ["a"], sourceLocation: sourceLocation)
            #expect(try reader.streamRevision(of: "a") == 0, sourceLocation: sourceLocation)
        }
        #expect(try ledger.verify().isIntact, sourceLocation: sourceLocation)
    }

    /// Expects the ledger to hold the sample events `sequences` in order and `storedID` at `at`.
    static func expectOnly(_ ledger: Ledger, sequences: [UInt64], storedID: UUID, at: UInt64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let events = try ledger.events(.all())
        #expect(try events.map { try $0.decode(as: SampleEvent.self).sequence } == sequences, sourceLocation: sourceLocation)
        #expect(events.filter { $0.id == storedID }.map(\.position) == [at], "the stored id appears once, where it was", sourceLocation: sourceLocation)
        #expect(try ledger.head().position == UInt64(sequences.count), sourceLocation: sourceLocation)
        #expect(try ledger.read { try $0.eventCount() } == sequences.count, sourceLocation: sourceLocation)
        #expect(try ledger.read { try $0.position(ofEventID: storedID) } == at, sourceLocation: sourceLocation)
        let report = try ledger.verify()
        #expect(report.isIntact, "\(String(describing: report.firstFault))", sourceLocation: sourceLocation)
    }

    /// Sets the recorded-at field (offset 48, little-endian microseconds; see ``EnvelopeLayout``).
    static func setRecordedAt(_ canonical: inout [UInt8], _ time: Timestamp) {
        setUInt64(&canonical, at: 48, UInt64(bitPattern: time.microsecondsSinceEpoch))
    }

    static func setUInt64(_ bytes: inout [UInt8], at offset: Int, _ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + 8, with: $0) }
    }

    static func bytes(of id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }

    /// Runs `body` on a thread of its own and waits for it (at most 30 s: a read that blocks on
    /// the bulk append fails the test instead of hanging it).
    static func onAnotherThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) throws -> R {
        let outcome = Outcome<R>()
        let thread = Thread {
            outcome.set(Result { try body() })
        }
        thread.start()
        guard outcome.done.wait(timeout: .now() + 30) == .success else {
            throw BulkTestError("the other thread did not finish within 30 s: it waited for the bulk append")
        }
        return try outcome.get()
    }

    /// Runs `body` on a thread of its own (not one of Swift concurrency's) and returns its result.
    static func onThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// What `LedgerTestChild inspect` (another process, opening the ledger read-only) reports.
    static func inspect(_ directory: URL) throws -> LedgerInspection {
        let (process, output) = try ChildProcess.start(["inspect", directory.path])
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw BulkTestError("LedgerTestChild inspect did not finish within 60 s")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        guard let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last else {
            throw BulkTestError("LedgerTestChild inspect printed nothing (status \(process.terminationStatus))")
        }
        return try JSONDecoder().decode(LedgerInspection.self, from: Data(line.utf8))
    }
}

/// The result of a closure run on another thread.
private final class Outcome<R: Sendable>: Sendable {
    let done = DispatchSemaphore(value: 0)
    private let value = Mutex<Result<R, any Error>?>(nil)

    func set(_ result: Result<R, any Error>) {
        value.withLock { $0 = result }
        done.signal()
    }

    var isSet: Bool { value.withLock { $0 != nil } }

    func get() throws -> R {
        guard let result = value.withLock({ $0 }) else { throw BulkTestError("the other thread returned no result") }
        return try result.get()
    }
}

/// The positions a subscriber received, in order.
private final class PositionLog: Sendable {
    private let log = Mutex<[UInt64]>([])
    func add(_ position: UInt64) { log.withLock { $0.append(position) } }
    var positions: [UInt64] { log.withLock { $0 } }
}

private struct BulkTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
