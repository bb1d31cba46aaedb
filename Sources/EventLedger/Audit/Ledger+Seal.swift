import Foundation
import LMDBKit

extension Ledger {
    /// Seals the current head with `key` and stores the seal in the ledger (next to the data; the
    /// key stays with the caller). Sealing an empty ledger is refused.
    ///
    /// - Returns: the seal. Sealing the same head again stores a new seal over the old one.
    /// - Throws: ``LedgerError/Code/invalidRequest`` for an empty or read-only ledger.
    @discardableResult
    public func seal(with key: SealKey) throws -> HeadSeal {
        guard !options.readOnly else {
            throw LedgerError(.invalidRequest, "'\(directory.path)' is open read-only; a seal is written into the ledger")
        }
        return try withStorage("sealing the head") { store in
            try store.environment.write { txn in
                // The head as of this write transaction: no append can slip in between.
                let last = try txn.withCursor(store.events) { cursor -> (UInt64, ChainHash)? in
                    guard let (key, value) = try cursor.last() else { return nil }
                    guard key.count == 8, let position = LedgerKeys.uint64(key) else {
                        throw LedgerError(.corruptRecord, "the events database holds a key of \(key.count) bytes")
                    }
                    return (position, try EventRecord(validating: value, at: position).chainHash)
                }
                guard let (position, hash) = last else {
                    throw LedgerError(.invalidRequest, "the ledger at '\(directory.path)' is empty; there is no head to seal")
                }
                let head = (position: position, hash: hash)
                let seal = HeadSeal(position: head.position, hash: head.hash, sealedAt: options.clock.now(), ledgerID: ledgerID, key: key)
                try HeadSeal.key(head.position).withUnsafeBytes { k in
                    try seal.storedBytes.withUnsafeBytes { v in try txn.put(store.meta, key: k, value: v) }
                }
                return seal
            }
        }
    }

    /// The stored seals, oldest position first.
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` for a stored seal that does not read.
    public func seals() throws -> [HeadSeal] {
        try read { reader in try reader.seals() }
    }

    /// Verifies the ledger (``verify(progress:)``), then every stored seal: its MAC must be the one
    /// `key` makes, and its hash the chain's at its position. A log rewritten by someone without
    /// the key (every hash recomputed) verifies on its own but fails here; so does a ledger whose
    /// seals were all removed (``SealReport/isIntact`` needs at least one).
    public func verifySeals(with key: SealKey, progress: ((UInt64) -> Void)? = nil) throws -> SealReport {
        try read { reader in
            let verification = try LedgerVerifier(reader: reader, progress: progress).run()
            var valid: [HeadSeal] = []
            var bad: (HeadSeal, String)?
            for seal in try reader.seals() {
                guard seal.isSigned(by: key, ledgerID: ledgerID) else {
                    bad = (seal, "the seal at position \(seal.position) was not made with this key for this ledger (or was altered)")
                    break
                }
                guard let record = try reader.event(at: seal.position) else {
                    bad = (seal, "the seal is for position \(seal.position), which the log no longer holds: it was truncated")
                    break
                }
                guard record.chainHash == seal.hash else {
                    bad = (seal, "the chain hash at position \(seal.position) is \(record.chainHash.hex), but it was sealed as \(seal.hash.hex): the log up to there was rewritten")
                    break
                }
                valid.append(seal)
            }
            return SealReport(verification: verification, validSeals: valid, firstBadSeal: bad.map { (seal: $0.0, reason: $0.1) })
        }
    }
}

extension LedgerReader {
    /// The stored seals, oldest position first.
    func seals() throws -> [HeadSeal] {
        try txn.withCursor(store.meta) { cursor in
            var seals: [HeadSeal] = []
            var entry = try HeadSeal.keyPrefix.withUnsafeBytes { try cursor.seek(atOrAfter: $0) }
            while let current = entry, current.key.starts(with: HeadSeal.keyPrefix) {
                guard let seal = HeadSeal.stored(key: current.key, value: current.value) else {
                    throw LedgerError(.corruptRecord, "a stored head seal in meta does not read (\(current.value.count) bytes)")
                }
                seals.append(seal)
                entry = try cursor.next()
            }
            return seals
        }
    }
}
