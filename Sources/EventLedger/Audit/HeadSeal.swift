import Crypto
public import Foundation

/// A signed statement that the ledger's chain reached `hash` at `position`: HMAC-SHA256, under a
/// ``SealKey``, of the ledger id, the position, the chain hash and the time of sealing.
///
/// The chain alone proves a log was not changed by someone who did not recompute it. A seal also
/// catches someone who rewrote history and recomputed every hash after it: without the key they
/// cannot make the seal for the new hash at that position. Seal at checkpoints (`ledger seal`, or
/// ``Ledger/seal(with:)`` after each day's appends); ``Ledger/verifySeals(with:progress:)``
/// checks them.
public struct HeadSeal: Sendable, Hashable {
    /// The sealed position (the head when it was sealed).
    public let position: UInt64
    /// The chain hash at that position.
    public let hash: ChainHash
    /// When it was sealed (the ledger's clock).
    public let sealedAt: Timestamp
    /// HMAC-SHA256 over ``signedBytes(ledgerID:)``.
    public let mac: [UInt8]

    /// The stored size: sealed-at (8), hash (32), MAC (32).
    static let storedSize = 72
    /// The prefix of seal keys in `meta`: `seal/` + the position (UInt64 big-endian).
    static let keyPrefix = Array("seal/".utf8)

    /// A seal as stored or exported: for copying a ledger's seals along with its records
    /// (``BulkAppender/store(_:)``); ``isSigned(by:ledgerID:)`` tells whether it is genuine.
    public init(position: UInt64, hash: ChainHash, sealedAt: Timestamp, mac: [UInt8]) {
        self.position = position
        self.hash = hash
        self.sealedAt = sealedAt
        self.mac = mac
    }

    /// Seals `hash` at `position` of ledger `ledgerID`.
    init(position: UInt64, hash: ChainHash, sealedAt: Timestamp, ledgerID: UUID, key: SealKey) {
        self.init(position: position, hash: hash, sealedAt: sealedAt, mac: [])
        let mac = Self.mac(Self.signed(ledgerID: ledgerID, position: position, hash: hash, sealedAt: sealedAt), key: key)
        self.init(position: position, hash: hash, sealedAt: sealedAt, mac: mac)
    }

    /// Whether the MAC is the one `key` makes for this ledger, position, hash and time.
    public func isSigned(by key: SealKey, ledgerID: UUID) -> Bool {
        let expected = Self.mac(Self.signed(ledgerID: ledgerID, position: position, hash: hash, sealedAt: sealedAt), key: key)
        guard expected.count == mac.count else { return false }
        // Constant time: no early exit on the first differing byte.
        return zip(expected, mac).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// What the MAC covers: a label, the ledger id, the position, the hash and the time.
    static func signed(ledgerID: UUID, position: UInt64, hash: ChainHash, sealedAt: Timestamp) -> [UInt8] {
        var bytes = Array("AccountabilityLedger head seal v1".utf8)
        withUnsafeBytes(of: ledgerID.uuid) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: position.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: hash.bytes)
        withUnsafeBytes(of: sealedAt.microsecondsSinceEpoch.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    static func mac(_ message: [UInt8], key: SealKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key.bytes)))
    }

    /// The `meta` key of a seal at `position`.
    static func key(_ position: UInt64) -> [UInt8] {
        var key = keyPrefix
        withUnsafeBytes(of: position.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// The stored value.
    var storedBytes: [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: sealedAt.microsecondsSinceEpoch.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: hash.bytes)
        bytes.append(contentsOf: mac)
        return bytes
    }

    /// A stored seal, or `nil` when the bytes are not one (damaged `meta`).
    static func stored(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> HeadSeal? {
        guard key.count == keyPrefix.count + 8, value.count == storedSize,
              key.prefix(keyPrefix.count).elementsEqual(keyPrefix),
              let hash = ChainHash(bytes: value[8..<40]) else { return nil }
        let position = UInt64(bigEndian: key.loadUnaligned(fromByteOffset: keyPrefix.count, as: UInt64.self))
        let micros = Int64(littleEndian: value.loadUnaligned(fromByteOffset: 0, as: Int64.self))
        return HeadSeal(position: position, hash: hash, sealedAt: Timestamp(microsecondsSinceEpoch: micros), mac: Array(value[40..<72]))
    }
}
