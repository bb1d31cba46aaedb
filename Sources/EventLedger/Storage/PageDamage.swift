import LMDBKit

/// What damage the page check found (``LMDBPageFault``) means for a ledger: which position it
/// stops, in words a ledger's user reads.
enum PageDamage {
    /// The first position the damage makes unreadable, when it is in the log; `nil` for damage in
    /// an index or in LMDB's own trees, which stops no position by itself.
    static func firstUnreadablePosition(_ fault: LMDBPageFault) -> UInt64? {
        guard fault.database == "events", !fault.allKeysReadable else { return nil }
        guard let last = fault.lastReadableKey else { return 1 }
        guard last.count == 8 else { return nil }
        let position = last.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return position &+ 1
    }

    /// A sentence naming the damaged page and what it stops.
    static func describe(_ fault: LMDBPageFault) -> String {
        let place = fault.page.map { "page \($0)" } ?? "the record"
        switch fault.database {
        case "events":
            if fault.allKeysReadable { return "\(place) of the log is damaged: \(fault.reason); every record can still be read, but nothing can be appended" }
            let from = firstUnreadablePosition(fault).map { "from position \($0) on" } ?? "after the last readable key"
            return "\(place) of the log is damaged: \(fault.reason); records \(from) cannot be read, and nothing can be appended"
        case "main", "free-list":
            return "\(place) of LMDB's \(fault.database == "main" ? "database directory" : "free-page list") is damaged: \(fault.reason); nothing can be appended"
        default:
            return "\(place) of the '\(fault.database)' database is damaged: \(fault.reason); \(fault.allKeysReadable ? "its entries can still be read" : "its entries past the damage cannot be read"), and nothing can be appended"
        }
    }
}
