import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("Head seals")
struct HeadSealTests {
    static var key: SealKey { get throws { try SealKey(bytes: Array("a secret key the auditor keeps, 32b".utf8)) } }

    /// A ledger of `count` sample events on 3 streams; `altered` changes one event's text.
    func write(_ url: URL, count: UInt64, altered: UInt64? = nil, ids: [UUID]) throws -> Ledger {
        let ledger = try Ledger(directory: url, registry: .samples())
        for n in 0..<count {
            let text = n == altered ? "rewritten" : "original \(n)"
            try ledger.append([try .sample(n, text: text, id: ids[Int(n)])], to: "stream/\(n % 3)")
        }
        return ledger
    }

    @Test("a sealed ledger verifies with its key; events after the last seal are counted as unsealed")
    func sealAndVerify() throws {
        let directory = try TemporaryDirectory()
        let ids = (0..<20).map { _ in UUID() }
        let ledger = try write(directory.child("l"), count: 10, ids: ids)
        defer { ledger.close() }
        let first = try ledger.seal(with: try Self.key)
        #expect(first.position == 10)
        #expect(first.hash == (try ledger.head().hash))
        for n in 10..<15 { try ledger.append([try .sample(UInt64(n), id: ids[n])], to: "stream/x") }
        let second = try ledger.seal(with: try Self.key)
        #expect(try ledger.seals() == [first, second])
        try ledger.append([try .sample(15, id: ids[15])], to: "stream/x")

        let report = try ledger.verifySeals(with: try Self.key)
        #expect(report.isIntact)
        #expect(report.validSeals == [first, second])
        #expect(report.lastSealed?.position == 15)
        #expect(report.verification.head.position == 16)
    }

    @Test("another key's seals, no seals at all, and sealing an empty ledger are each refused")
    func wrongKeyAndNoSeal() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger(directory: directory.child("l"), registry: .samples())
        defer { ledger.close() }
        let empty = try #require(throws: LedgerError.self) { try ledger.seal(with: try Self.key) }
        #expect(empty.message.contains("is empty"))
        try ledger.append([try .sample(0)], to: "s")
        let unsealed = try ledger.verifySeals(with: try Self.key)
        #expect(unsealed.verification.isIntact)
        #expect(!unsealed.isIntact, "nothing is proven without a seal")
        #expect(unsealed.validSeals.isEmpty)

        try ledger.seal(with: try SealKey(bytes: Array("someone else's key, not ours!".utf8)))
        let wrong = try ledger.verifySeals(with: try Self.key)
        #expect(!wrong.isIntact)
        #expect(wrong.firstBadSeal?.reason.contains("was not made with this key") == true)
        #expect(throws: LedgerError.self) { try SealKey(bytes: [1, 2, 3]) }
    }

    @Test("a log rewritten with every hash recomputed passes plain verify but fails against the key, at the sealed position")
    func rewrittenLogIsCaught() throws {
        let directory = try TemporaryDirectory()
        let ids = (0..<30).map { _ in UUID() }
        let original = try write(directory.child("original"), count: 30, ids: ids)
        try original.seal(with: try Self.key)
        let ledgerID = original.ledgerID
        original.close()

        // The forger rewrites event 12 and recomputes everything after it: a fresh ledger with the
        // same events but one, the original's id, and the original's seals copied over.
        let forged = try write(directory.child("forged"), count: 30, altered: 12, ids: ids)
        forged.close()
        try Forgery.copyIdentityAndSeals(from: directory.child("original"), to: directory.child("forged"))

        let reopened = try Ledger(directory: directory.child("forged"), registry: .samples())
        defer { reopened.close() }
        #expect(reopened.ledgerID == ledgerID)
        #expect(try reopened.verify().isIntact, "the recomputed chain is internally consistent")
        let report = try reopened.verifySeals(with: try Self.key)
        #expect(!report.isIntact)
        let bad = try #require(report.firstBadSeal)
        #expect(bad.seal.position == 30)
        #expect(bad.reason.contains("the log up to there was rewritten"))
    }

    @Test("a seal for a position the log no longer holds reports the truncation")
    func truncatedLog() throws {
        let directory = try TemporaryDirectory()
        let ids = (0..<10).map { _ in UUID() }
        let long = try write(directory.child("long"), count: 10, ids: ids)
        try long.seal(with: try Self.key)
        long.close()
        let short = try write(directory.child("short"), count: 6, ids: ids)
        short.close()
        try Forgery.copyIdentityAndSeals(from: directory.child("long"), to: directory.child("short"))
        let reopened = try Ledger(directory: directory.child("short"), registry: .samples())
        defer { reopened.close() }
        let report = try reopened.verifySeals(with: try Self.key)
        #expect(report.firstBadSeal?.reason.contains("which the log no longer holds: it was truncated") == true)
    }
}
