import EventLedger
import Foundation

/// Proves the hash chain intact from the first record up to a position, with nothing but the
/// public envelope: `hash(n) = SHA-256(hash(n − 1) ‖ canonical bytes of record n)`, from
/// ``ChainHash/genesis``, compared with the chain hash stored with every record.
///
/// It reads owned copies of the records (``RecordedEvent``), a page at a time, so it needs memory
/// for one page whatever the length of the log — the same computation an auditor can run over an
/// export with a stock SHA-256 tool.
enum ChainProof {
    /// A record whose stored chain hash is not the one recomputed from the records before it.
    struct Mismatch: Error, CustomStringConvertible {
        /// The first position at fault.
        let position: UInt64
        /// The hash recomputed from genesis.
        let computed: ChainHash
        /// The hash stored with the record.
        let stored: ChainHash

        var description: String {
            "the hash chain is broken at position \(position): recomputed \(computed.hex), stored \(stored.hex)"
        }
    }

    /// Recomputes the chain through `last` and returns its hash at `last` (genesis when `last` is 0).
    ///
    /// - Throws: ``Mismatch`` at the first record whose stored hash differs;
    ///   ``LedgerError/Code/corruptRecord`` when a position is missing.
    static func verify(_ ledger: Ledger, through last: UInt64, pageSize: Int = 1_024) throws -> ChainHash {
        var hash = ChainHash.genesis
        var next: UInt64 = 1
        while next <= last {
            let page = try ledger.events(.all(from: next).through(position: last), limit: pageSize)
            guard !page.isEmpty else { break }
            for event in page {
                guard event.position == next else {
                    throw LedgerError(.corruptRecord, "expected position \(next) but read \(event.position)", position: next)
                }
                hash = hash.next(canonicalBytes: event.canonicalBytes)
                guard hash == event.chainHash else {
                    throw Mismatch(position: event.position, computed: hash, stored: event.chainHash)
                }
                next += 1
            }
        }
        guard next == last + 1 else {
            throw LedgerError(.corruptRecord, "the log ends at position \(next - 1), before position \(last)", position: next)
        }
        return hash
    }
}
