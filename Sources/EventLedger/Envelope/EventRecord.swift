public import Foundation

/// A stored event, read in place from the memory map.
///
/// Obtained inside a read (``Ledger/read(_:)``); valid only inside that closure. Its fields are
/// decoded on access straight from the stored bytes, so iterating records allocates nothing.
/// Copy what must outlive the read with ``LedgerReader/recordedEvent(_:)``.
///
/// A record is checked when it is read: a known format version, no unknown flags, a payload
/// length that matches the stored size, and the position it is stored under. Anything else is a
/// ``LedgerError/Code/corruptRecord`` error naming the position.
public struct EventRecord {
    /// The stored bytes: canonical bytes followed by the chain hash.
    public let storedBytes: UnsafeRawBufferPointer

    /// Checks `bytes` as the record stored at `position` and views them in place (no copy): for
    /// tools that hold stored records elsewhere (an export, another store) and feed them to the
    /// same projections. The bytes must outlive the record.
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` naming the position when the bytes are not a
    ///   record of a known format stored at `position`.
    public init(validating bytes: UnsafeRawBufferPointer, at position: UInt64) throws(LedgerError) {
        guard bytes.count >= EnvelopeLayout.headerSize + EnvelopeLayout.hashSize else {
            throw LedgerError(.corruptRecord, "record at position \(position) is \(bytes.count) bytes, shorter than an envelope header", position: position)
        }
        let version = bytes[EnvelopeLayout.formatVersionOffset]
        guard version >= 1, version <= EnvelopeLayout.newestReadableFormatVersion else {
            throw LedgerError(.corruptRecord, "record at position \(position) has envelope format version \(version); this library reads 1 to \(EnvelopeLayout.newestReadableFormatVersion)", position: position)
        }
        guard bytes[EnvelopeLayout.flagsOffset] & ~EnvelopeLayout.knownFlags == 0 else {
            throw LedgerError(.corruptRecord, "record at position \(position) has unknown envelope flags \(bytes[EnvelopeLayout.flagsOffset])", position: position)
        }
        let payloadCount = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: EnvelopeLayout.payloadLengthOffset, as: UInt32.self)))
        guard EnvelopeLayout.recordSize(payloadCount: payloadCount) == bytes.count else {
            throw LedgerError(.corruptRecord, "record at position \(position) claims a \(payloadCount)-byte payload but holds \(bytes.count - EnvelopeLayout.headerSize - EnvelopeLayout.hashSize)", position: position)
        }
        let stored = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: EnvelopeLayout.positionOffset, as: UInt64.self))
        guard stored == position else {
            throw LedgerError(.corruptRecord, "record at position \(position) says it is position \(stored)", position: position)
        }
        self.storedBytes = bytes
    }

    @inlinable @inline(__always)
    func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
        T(littleEndian: storedBytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    @inlinable @inline(__always)
    func loadUUID(_ offset: Int) -> UUID {
        // A UUID is its 16 bytes (`uuid_t`, its one stored property): one load, no call into
        // Foundation's tuple initialiser, which takes the bytes as 16 arguments.
        storedBytes.loadUnaligned(fromByteOffset: offset, as: UUID.self)
    }

    @inlinable var flags: UInt8 { storedBytes[EnvelopeLayout.flagsOffset] }

    /// The envelope format version the record was written with.
    @inlinable public var formatVersion: UInt8 { storedBytes[EnvelopeLayout.formatVersionOffset] }
    /// The position in the log: gapless from 1.
    @inlinable public var position: UInt64 { load(EnvelopeLayout.positionOffset, UInt64.self) }
    /// The stream's internal key; ``LedgerReader/streamName(forKey:)`` gives its name.
    @inlinable public var streamKey: UInt64 { load(EnvelopeLayout.streamKeyOffset, UInt64.self) }
    /// The revision within its stream: gapless from 0.
    @inlinable public var streamRevision: UInt64 { load(EnvelopeLayout.revisionOffset, UInt64.self) }
    /// The type's tag in this ledger; ``LedgerReader/eventType(of:)`` gives its name.
    @inlinable public var typeTag: UInt32 { load(EnvelopeLayout.typeTagOffset, UInt32.self) }
    /// The payload's schema version.
    @inlinable public var schemaVersion: UInt16 { load(EnvelopeLayout.schemaVersionOffset, UInt16.self) }
    /// The event's unique id.
    @inlinable public var id: UUID { loadUUID(EnvelopeLayout.idOffset) }
    /// When the ledger recorded it (non-decreasing along the log).
    @inlinable public var recordedAt: Timestamp { Timestamp(microsecondsSinceEpoch: load(EnvelopeLayout.recordedAtOffset, Int64.self)) }
    /// When it happened in the domain.
    @inlinable public var occurredAt: Timestamp { Timestamp(microsecondsSinceEpoch: load(EnvelopeLayout.occurredAtOffset, Int64.self)) }
    /// Who caused it, when recorded.
    @inlinable public var actor: UUID? { flags & EnvelopeLayout.flagActor != 0 ? loadUUID(EnvelopeLayout.actorOffset) : nil }
    /// The correlation id, when recorded.
    @inlinable public var correlationID: UUID? { flags & EnvelopeLayout.flagCorrelation != 0 ? loadUUID(EnvelopeLayout.correlationOffset) : nil }
    /// The causation id, when recorded.
    @inlinable public var causationID: UUID? { flags & EnvelopeLayout.flagCausation != 0 ? loadUUID(EnvelopeLayout.causationOffset) : nil }

    /// Whether every id the flags mark absent (actor, correlation, causation) is stored as 16 zero
    /// bytes, as ``EnvelopeEncoder`` writes it. Bytes that say otherwise were not written by this
    /// library: an export check and an exact copy refuse them.
    public var absentIDsAreZero: Bool {
        let fields: [(flag: UInt8, offset: Int)] = [
            (EnvelopeLayout.flagActor, EnvelopeLayout.actorOffset),
            (EnvelopeLayout.flagCorrelation, EnvelopeLayout.correlationOffset),
            (EnvelopeLayout.flagCausation, EnvelopeLayout.causationOffset),
        ]
        return fields.allSatisfy { field in
            flags & field.flag != 0 || storedBytes[field.offset..<field.offset + 16].allSatisfy { $0 == 0 }
        }
    }

    /// The payload bytes, in the map.
    @inlinable public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storedBytes[EnvelopeLayout.headerSize..<storedBytes.count - EnvelopeLayout.hashSize])
    }

    /// The canonical bytes the chain hash covers: everything but the trailing hash.
    @inlinable public var canonicalBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storedBytes[0..<storedBytes.count - EnvelopeLayout.hashSize])
    }

    /// The stored chain hash.
    public var chainHash: ChainHash {
        ChainHash(loadingFrom: UnsafeRawBufferPointer(rebasing: storedBytes[(storedBytes.count - EnvelopeLayout.hashSize)...]))
    }
}

extension EventRecord {
    /// Decodes the payload as `E`, checking its schema version and that every byte is consumed:
    /// what a ``Projection``'s `decode(typeIndex:record:)` calls for a type it names (the index
    /// says which type the record is, so no type name is compared).
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` naming the position when the payload does not
    ///   decode as `E` or its schema version is newer than `E` reads.
    public func decodePayload<E: LedgerEvent>(as type: E.Type) throws -> E {
        do {
            return try EventTypeRegistry.decode(type, payload, schemaVersion: schemaVersion)
        } catch {
            throw LedgerError(.corruptRecord, "payload at position \(position) does not decode as \(E.eventType): \(error)", position: position)
        }
    }
}
