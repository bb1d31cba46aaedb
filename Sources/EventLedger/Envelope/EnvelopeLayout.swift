/// The binary layout of a stored record, format version 1.
///
/// Every integer is little-endian; identifiers are 16 raw UUID bytes; times are signed microseconds.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 1 | header format version (1) |
/// | 1 | 1 | flags: bit 0 actor present, bit 1 correlation id present, bit 2 causation id present; other bits 0 |
/// | 2 | 2 | payload schema version |
/// | 4 | 4 | type tag (see the `meta` database) |
/// | 8 | 8 | position |
/// | 16 | 8 | stream key (see the `stream-keys` database) |
/// | 24 | 8 | stream revision |
/// | 32 | 16 | event id |
/// | 48 | 8 | recorded-at |
/// | 56 | 8 | occurred-at |
/// | 64 | 16 | actor (zeros when absent) |
/// | 80 | 16 | correlation id (zeros when absent) |
/// | 96 | 16 | causation id (zeros when absent) |
/// | 112 | 4 | payload length n |
/// | 116 | n | payload |
/// | 116 + n | 32 | chain hash = SHA-256(previous chain hash, bytes 0 ..< 116 + n) |
///
/// The bytes before the chain hash are the record's canonical bytes: the chain can be recomputed
/// from them alone with any SHA-256 implementation.
public enum EnvelopeLayout {
    /// The header format version this library writes.
    public static let currentFormatVersion: UInt8 = 1
    /// The highest header format version this library reads.
    public static let newestReadableFormatVersion: UInt8 = 1
    /// Bytes before the payload.
    public static let headerSize = 116
    /// Bytes of the trailing chain hash.
    public static let hashSize = 32
    /// The largest payload accepted (16 MiB).
    public static let maximumPayloadSize = 16 << 20

    @usableFromInline static let formatVersionOffset = 0
    @usableFromInline static let flagsOffset = 1
    @usableFromInline static let schemaVersionOffset = 2
    @usableFromInline static let typeTagOffset = 4
    @usableFromInline static let positionOffset = 8
    @usableFromInline static let streamKeyOffset = 16
    @usableFromInline static let revisionOffset = 24
    @usableFromInline static let idOffset = 32
    @usableFromInline static let recordedAtOffset = 48
    @usableFromInline static let occurredAtOffset = 56
    @usableFromInline static let actorOffset = 64
    @usableFromInline static let correlationOffset = 80
    @usableFromInline static let causationOffset = 96
    @usableFromInline static let payloadLengthOffset = 112

    @usableFromInline static let flagActor: UInt8 = 1
    @usableFromInline static let flagCorrelation: UInt8 = 2
    @usableFromInline static let flagCausation: UInt8 = 4
    @usableFromInline static let knownFlags: UInt8 = 7

    /// The stored size of a record with `payloadCount` payload bytes.
    @inlinable @inline(__always)
    static func recordSize(payloadCount: Int) -> Int { headerSize + payloadCount + hashSize }
}
