/// A handle to a named database inside an ``LMDBEnvironment``.
///
/// Handles are opened once, when the environment opens, and stay valid until it closes.
/// They are plain values: cheap to copy and safe to share between threads.
public struct LMDBDatabase: Sendable, Hashable, CustomStringConvertible {
    /// The database's name.
    public let name: String
    let dbi: UInt32
    /// The damage the page check found in this database at open, when it restricts reads: keys
    /// past ``LMDBPageFault/lastReadableKey`` are refused instead of read.
    public let pageFault: LMDBPageFault?

    init(name: String, dbi: UInt32, pageFault: LMDBPageFault? = nil) {
        self.name = name
        self.dbi = dbi
        self.pageFault = pageFault.flatMap { $0.allKeysReadable ? nil : $0 }
    }

    public var description: String { "database '\(name)'" }

    /// The error for a read that would reach past the readable part of a damaged database.
    func damagedReadError(_ what: String) -> LMDBError {
        let fault = pageFault ?? LMDBPageFault(database: name, page: nil, reason: "unknown damage", lastReadableKey: nil)
        return LMDBError(code: .corrupted, message: "\(what) of \(self) would read damaged pages: \(fault)", pageFault: fault)
    }
}
