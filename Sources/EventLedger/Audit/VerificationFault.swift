/// The first thing ``Ledger/verify(progress:)`` found wrong, with the position at fault.
public struct VerificationFault: Sendable, Hashable, CustomStringConvertible {
    /// What kind of fault it is.
    public enum Kind: String, Sendable, Hashable {
        /// A position is missing: positions must run 1, 2, 3, … without gaps.
        case positionGap
        /// A record's envelope cannot be decoded (length, version, flags or position field wrong).
        case corruptRecord
        /// A record's chain hash does not match SHA-256(previous hash, canonical bytes): it was
        /// altered, or a record before it was.
        case chainMismatch
        /// A record was recorded earlier than the one before it.
        case recordedAtDecreased
        /// A stream's revisions do not run 0, 1, 2, … without gaps.
        case revisionGap
        /// A record's type tag was never assigned by the ledger.
        case unknownType
        /// A record's stream key has no name.
        case unknownStream
        /// A record of a registered type has a payload its codec rejects.
        case undecodablePayload
        /// An index (streams, stream-names, stream-keys, types, event-ids) disagrees with the log.
        case indexMismatch
        /// The head stored in `meta` is not the last record's position and hash.
        case headMismatch
        /// LMDB itself reported damage while reading.
        case storageFault
    }

    /// What kind of fault it is.
    public let kind: Kind
    /// The position at fault (`nil` for faults not tied to one record, such as an index entry
    /// pointing nowhere).
    public let position: UInt64?
    /// A sentence saying what is wrong.
    public let message: String

    /// Creates a fault.
    public init(kind: Kind, position: UInt64?, message: String) {
        self.kind = kind
        self.position = position
        self.message = message
    }

    public var description: String {
        if let position { return "\(kind.rawValue) at position \(position): \(message)" }
        return "\(kind.rawValue): \(message)"
    }
}
