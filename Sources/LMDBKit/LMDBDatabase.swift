/// A handle to a named database inside an ``LMDBEnvironment``.
///
/// Handles are opened once, when the environment opens, and stay valid until it closes.
/// They are plain values: cheap to copy and safe to share between threads.
public struct LMDBDatabase: Sendable, Hashable, CustomStringConvertible {
    /// The database's name.
    public let name: String
    let dbi: UInt32

    init(name: String, dbi: UInt32) {
        self.name = name
        self.dbi = dbi
    }

    public var description: String { "database '\(name)'" }
}
