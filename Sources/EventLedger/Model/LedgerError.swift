public import LMDBKit

/// The error type of the ledger.
///
/// Match on ``code``; read ``message`` for what went wrong, named precisely: the stream, the
/// position, the event, the field. ``stream`` and ``position`` carry the same facts as values.
///
/// ```swift
/// do {
///     try ledger.append(events, to: "mentorship/42", expecting: .revision(3))
/// } catch let error as LedgerError where error.code == .wrongExpectedRevision {
///     print(error.message) // stream 'mentorship/42': expected revision 3, but the stream is at revision 5
/// }
/// ```
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; match the ones you handle.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The stream's revision is not what the append expected. Nothing was written.
        public static let wrongExpectedRevision = Code("wrongExpectedRevision")
        /// An event id is already stored with different content, or only part of a batch was stored.
        public static let idempotencyConflict = Code("idempotencyConflict")
        /// An event's type is not registered with the ledger.
        public static let unknownEventType = Code("unknownEventType")
        /// An event failed validation, or its payload does not decode with its type's codec.
        public static let invalidEvent = Code("invalidEvent")
        /// A stream name is empty, too long or contains control characters.
        public static let invalidStreamName = Code("invalidStreamName")
        /// The append request itself is malformed (for example the same event id twice in one batch).
        public static let invalidRequest = Code("invalidRequest")
        /// A stored record or payload cannot be decoded: its bytes are damaged or were tampered with.
        public static let corruptRecord = Code("corruptRecord")
        /// A read asked for something that is not there (a position past the head, an unknown type).
        public static let notFound = Code("notFound")
        /// The directory holds something that is not a ledger, or a ledger of an unsupported format.
        public static let notALedger = Code("notALedger")
        /// The ledger was written by a newer format version than this library reads.
        public static let unsupportedFormatVersion = Code("unsupportedFormatVersion")
        /// The ledger is closed.
        public static let closed = Code("closed")
        /// The storage layer failed; ``LedgerError/storageError`` has LMDB's code and text.
        public static let storage = Code("storage")
        /// The ledger reached ``LedgerOptions/maximumMapSize``: nothing of the append was written,
        /// and the ledger stays readable. Reopen it with a larger maximum to append again.
        public static let full = Code("full")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence naming what is wrong and where.
    public let message: String
    /// The stream involved, when there is one.
    public let stream: String?
    /// The log position involved, when there is one.
    public let position: UInt64?
    /// The storage error behind a ``Code/storage`` failure.
    public let storageError: LMDBError?

    /// Creates an error.
    public init(_ code: Code, _ message: String, stream: String? = nil, position: UInt64? = nil, storageError: LMDBError? = nil) {
        self.code = code
        self.message = message
        self.stream = stream
        self.position = position
        self.storageError = storageError
    }

    public var description: String {
        if let storageError { return "\(message) [\(storageError)]" }
        return message
    }

    /// Wraps any error from the storage layer or elsewhere into a ledger error.
    static func wrap(_ error: any Error, _ context: @autoclosure () -> String) -> LedgerError {
        if let ledgerError = error as? LedgerError { return ledgerError }
        if let lmdb = error as? LMDBError {
            // The page check stopped a read or a write short of a damaged page.
            if lmdb.code == .corrupted, let fault = lmdb.pageFault {
                return LedgerError(.corruptRecord, "\(context()): \(PageDamage.describe(fault))", position: PageDamage.firstUnreadablePosition(fault), storageError: lmdb)
            }
            switch lmdb.code {
            case .closed: return LedgerError(.closed, "\(context()): the ledger is closed", storageError: lmdb)
            case .mapFull:
                return LedgerError(.full, "\(context()): the ledger reached its maximum size (LedgerOptions.maximumMapSize); nothing of this call was written, and the ledger stays readable; reopen it with a larger maximumMapSize to append again", storageError: lmdb)
            default: return LedgerError(.storage, "\(context()): \(lmdb.message)", storageError: lmdb)
            }
        }
        return LedgerError(.storage, "\(context()): \(error)")
    }
}
