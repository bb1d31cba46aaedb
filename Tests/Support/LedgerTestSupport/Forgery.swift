public import Foundation
import LMDBKit

/// What a forger with write access to a ledger's files, but without its seal key, can do: rewrite
/// the log into a new ledger with every hash recomputed, then copy the original's identity and its
/// old seals into it. The seal tests check that `verifySeals` catches the result.
public enum Forgery {
    /// What a forger with write access but no key can do: copy the ledger id and the old seals.
    public static func copyIdentityAndSeals(from source: URL, to target: URL) throws {
        let from = try LMDBEnvironment(path: source.path, databases: ["meta"])
        let meta = try from.database("meta")
        var copied: [([UInt8], [UInt8])] = []
        try from.read { txn in
            try txn.withCursor(meta) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    let key = Array(current.key)
                    if key.starts(with: Array("seal/".utf8)) || key == Array("ledger-id".utf8) { copied.append((key, Array(current.value))) }
                    entry = try cursor.next()
                }
            }
        }
        from.close()
        let to = try LMDBEnvironment(path: target.path, databases: ["meta"])
        let targetMeta = try to.database("meta")
        try to.write { txn in
            for (key, value) in copied {
                try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try txn.put(targetMeta, key: k, value: v) } }
            }
        }
        to.close()
    }
}
