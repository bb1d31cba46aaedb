import Foundation

/// The fields of a record that the write path fills in.
struct EnvelopeFields {
    var position: UInt64
    var streamKey: UInt64
    var revision: UInt64
    var typeTag: UInt32
    var recordedAt: Timestamp
}

/// Writes records in ``EnvelopeLayout`` straight into space reserved in the map.
enum EnvelopeEncoder {
    /// Encodes `event` with `fields` into `buffer` (exactly ``EnvelopeLayout/recordSize(payloadCount:)``
    /// bytes), chains it to `previous`, and returns the record's chain hash.
    static func encode(
        _ event: ProposedEvent,
        _ fields: EnvelopeFields,
        previous: ChainHash,
        into buffer: UnsafeMutableRawBufferPointer
    ) -> ChainHash {
        var flags: UInt8 = 0
        if event.actor != nil { flags |= EnvelopeLayout.flagActor }
        if event.correlationID != nil { flags |= EnvelopeLayout.flagCorrelation }
        if event.causationID != nil { flags |= EnvelopeLayout.flagCausation }

        buffer[EnvelopeLayout.formatVersionOffset] = EnvelopeLayout.currentFormatVersion
        buffer[EnvelopeLayout.flagsOffset] = flags
        buffer.storeBytes(of: event.schemaVersion.littleEndian, toByteOffset: EnvelopeLayout.schemaVersionOffset, as: UInt16.self)
        buffer.storeBytes(of: fields.typeTag.littleEndian, toByteOffset: EnvelopeLayout.typeTagOffset, as: UInt32.self)
        buffer.storeBytes(of: fields.position.littleEndian, toByteOffset: EnvelopeLayout.positionOffset, as: UInt64.self)
        buffer.storeBytes(of: fields.streamKey.littleEndian, toByteOffset: EnvelopeLayout.streamKeyOffset, as: UInt64.self)
        buffer.storeBytes(of: fields.revision.littleEndian, toByteOffset: EnvelopeLayout.revisionOffset, as: UInt64.self)
        storeUUID(event.id, buffer, EnvelopeLayout.idOffset)
        buffer.storeBytes(of: fields.recordedAt.microsecondsSinceEpoch.littleEndian, toByteOffset: EnvelopeLayout.recordedAtOffset, as: Int64.self)
        let occurredAt = event.occurredAt ?? fields.recordedAt
        buffer.storeBytes(of: occurredAt.microsecondsSinceEpoch.littleEndian, toByteOffset: EnvelopeLayout.occurredAtOffset, as: Int64.self)
        storeUUID(event.actor, buffer, EnvelopeLayout.actorOffset)
        storeUUID(event.correlationID, buffer, EnvelopeLayout.correlationOffset)
        storeUUID(event.causationID, buffer, EnvelopeLayout.causationOffset)
        buffer.storeBytes(of: UInt32(event.payload.count).littleEndian, toByteOffset: EnvelopeLayout.payloadLengthOffset, as: UInt32.self)
        event.payload.withUnsafeBytes { payload in
            UnsafeMutableRawBufferPointer(rebasing: buffer[EnvelopeLayout.headerSize..<EnvelopeLayout.headerSize + payload.count])
                .copyMemory(from: payload)
        }
        let canonicalCount = EnvelopeLayout.headerSize + event.payload.count
        let hash = ChainHasher.next(previous: previous, canonical: UnsafeRawBufferPointer(rebasing: buffer[0..<canonicalCount]))
        hash.withUnsafeBytes { bytes in
            UnsafeMutableRawBufferPointer(rebasing: buffer[canonicalCount..<canonicalCount + EnvelopeLayout.hashSize]).copyMemory(from: bytes)
        }
        return hash
    }

    @inline(__always)
    private static func storeUUID(_ id: UUID?, _ buffer: UnsafeMutableRawBufferPointer, _ offset: Int) {
        let raw = id?.uuid ?? (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeBytes(of: raw) { bytes in
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + 16]).copyMemory(from: bytes)
        }
    }
}
