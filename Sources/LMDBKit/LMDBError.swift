/// An error reported by LMDB or by the storage layer around it.
///
/// Match on ``code`` in a `catch`:
///
/// ```swift
/// do { try environment.write { txn in ... } }
/// catch let error as LMDBError where error.code == .mapFull { ... }
/// ```
///
/// ``message`` says what was being done (the operation and the database); ``lmdbText`` keeps the
/// `mdb_strerror` text of the underlying result code.
public struct LMDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A result code. LMDB's own codes and `errno` values keep their numeric value in ``rawValue``;
    /// the storage layer's own conditions use codes outside LMDB's range.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// `MDB_KEYEXIST`: the key/value pair already exists.
        public static let keyExists = Code(rawValue: LMDBCalls.keyExists)
        /// `MDB_NOTFOUND`: no matching key or data.
        public static let notFound = Code(rawValue: LMDBCalls.notFound)
        /// `MDB_CORRUPTED`: a page has the wrong type; the file is damaged.
        public static let corrupted = Code(rawValue: LMDBCalls.corrupted)
        /// `MDB_PAGE_NOTFOUND`: a page reference is out of range; the file is damaged.
        public static let pageNotFound = Code(rawValue: LMDBCalls.pageNotFound)
        /// `MDB_PANIC`: a fatal error; the environment must be closed.
        public static let panic = Code(rawValue: LMDBCalls.panic)
        /// `MDB_VERSION_MISMATCH`: the library and the file's format differ.
        public static let versionMismatch = Code(rawValue: LMDBCalls.versionMismatch)
        /// `MDB_INVALID`: the file is not an LMDB file.
        public static let invalid = Code(rawValue: LMDBCalls.invalid)
        /// `MDB_MAP_FULL`: the map size limit was reached.
        ///
        /// Writes through ``LMDBEnvironment/write(_:)`` grow the map and retry, so callers see this
        /// code only when ``LMDBEnvironmentOptions/maximumMapSize`` stops the growth.
        public static let mapFull = Code(rawValue: LMDBCalls.mapFull)
        /// `MDB_DBS_FULL`: more named databases than configured.
        public static let databasesFull = Code(rawValue: LMDBCalls.databasesFull)
        /// `MDB_READERS_FULL`: all reader slots are taken.
        public static let readersFull = Code(rawValue: LMDBCalls.readersFull)
        /// `MDB_TXN_FULL`: the transaction has too many dirty pages.
        public static let transactionFull = Code(rawValue: LMDBCalls.transactionFull)
        /// `MDB_MAP_RESIZED`: another process grew the map.
        public static let mapResized = Code(rawValue: LMDBCalls.mapResized)
        /// `MDB_INCOMPATIBLE`: the operation does not fit the database's flags.
        public static let incompatible = Code(rawValue: LMDBCalls.incompatible)
        /// `MDB_BAD_TXN`: the transaction cannot be used (an earlier operation in it failed).
        public static let badTransaction = Code(rawValue: LMDBCalls.badTransaction)
        /// `MDB_BAD_VALSIZE`: a key or value has an unsupported size.
        public static let badValueSize = Code(rawValue: LMDBCalls.badValueSize)
        /// `ENOENT`: a file or directory does not exist.
        public static let noSuchFile = Code(rawValue: 2)
        /// `EACCES`: permission denied.
        public static let permissionDenied = Code(rawValue: 13)
        /// `EROFS` or `EACCES` on a write: the location cannot be written.
        public static let readOnlyFileSystem = Code(rawValue: 30)

        /// The environment's directory is already open in this process (LMDB forbids opening it twice).
        public static let alreadyOpen = Code(rawValue: -40_001)
        /// The environment was closed.
        public static let closed = Code(rawValue: -40_002)
        /// A key is empty or longer than LMDB's maximum key size.
        public static let invalidKey = Code(rawValue: -40_003)
        /// A backup target is not an empty directory.
        public static let backupTargetNotEmpty = Code(rawValue: -40_004)
        /// A path is not usable as an environment directory.
        public static let invalidPath = Code(rawValue: -40_005)
        /// A write was attempted from a thread that holds a transaction of the same environment.
        public static let nestedTransaction = Code(rawValue: -40_006)
        /// The environment was opened read-only.
        public static let readOnly = Code(rawValue: -40_007)

        public var description: String {
            switch self {
            case .alreadyOpen: "alreadyOpen"
            case .closed: "closed"
            case .invalidKey: "invalidKey"
            case .backupTargetNotEmpty: "backupTargetNotEmpty"
            case .invalidPath: "invalidPath"
            case .nestedTransaction: "nestedTransaction"
            case .readOnly: "readOnly"
            default: "\(rawValue)"
            }
        }
    }

    /// What went wrong, as a code to match on.
    public let code: Code
    /// What the storage layer was doing, naming the database or path involved.
    public let message: String
    /// LMDB's `mdb_strerror` text for ``code`` (or the C library's text for an `errno`).
    public let lmdbText: String
    /// The damaged page behind a ``Code/corrupted`` error the page check found (see
    /// ``LMDBPageFault``); `nil` for every other error.
    public let pageFault: LMDBPageFault?

    /// Creates an error from a code and a message; the LMDB text is looked up for LMDB and `errno` codes.
    public init(code: Code, message: String, pageFault: LMDBPageFault? = nil) {
        self.code = code
        self.message = message
        self.lmdbText = code.rawValue > -40_000 ? LMDBCalls.strerror(code.rawValue) : ""
        self.pageFault = pageFault
    }

    init(rc: Int32, _ message: @autoclosure () -> String) {
        self.init(code: Code(rawValue: rc), message: message())
    }

    public var description: String {
        lmdbText.isEmpty ? message : "\(message): \(lmdbText) (code \(code.rawValue))"
    }
}

/// Throws an ``LMDBError`` unless `rc` is `MDB_SUCCESS`.
@inline(__always)
func check(_ rc: Int32, _ message: @autoclosure () -> String) throws(LMDBError) {
    if rc != LMDBCalls.success { throw LMDBError(rc: rc, message()) }
}
