import Accountability
public import EventLedger
public import Foundation

/// A peer failed: setup, a row or a document that does not read back, or a broken assumption.
public struct PeerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The envelope fields of one stored event, as a peer keeps them outside the ledger.
public struct PeerEnvelope: Sendable, Hashable {
    public var formatVersion: UInt8
    public var flags: UInt8
    public var schemaVersion: UInt16
    public var typeTag: UInt32
    public var position: UInt64
    public var streamKey: UInt64
    public var revision: UInt64
    public var id: UUID
    public var recordedAt: Int64
    public var occurredAt: Int64
    public var actor: UUID?
    public var correlationID: UUID?
    public var causationID: UUID?

    /// The fields of `record`.
    public init(_ record: EventRecord) {
        formatVersion = record.formatVersion
        flags = record.storedBytes[PeerLayout.flags]
        schemaVersion = record.schemaVersion
        typeTag = record.typeTag
        position = record.position
        streamKey = record.streamKey
        revision = record.streamRevision
        id = record.id
        recordedAt = record.recordedAt.microsecondsSinceEpoch
        occurredAt = record.occurredAt.microsecondsSinceEpoch
        actor = record.actor
        correlationID = record.correlationID
        causationID = record.causationID
    }

    public init(formatVersion: UInt8, flags: UInt8, schemaVersion: UInt16, typeTag: UInt32, position: UInt64,
                streamKey: UInt64, revision: UInt64, id: UUID, recordedAt: Int64, occurredAt: Int64,
                actor: UUID?, correlationID: UUID?, causationID: UUID?) {
        self.formatVersion = formatVersion
        self.flags = flags
        self.schemaVersion = schemaVersion
        self.typeTag = typeTag
        self.position = position
        self.streamKey = streamKey
        self.revision = revision
        self.id = id
        self.recordedAt = recordedAt
        self.occurredAt = occurredAt
        self.actor = actor
        self.correlationID = correlationID
        self.causationID = causationID
    }
}

/// Offsets of the stored record, format version 1, as documented on `EnvelopeLayout` (the
/// library keeps the offsets internal; the sizes are public and checked against these).
enum PeerLayout {
    static let formatVersion = 0
    static let flags = 1
    static let schemaVersion = 2
    static let typeTag = 4
    static let position = 8
    static let streamKey = 16
    static let revision = 24
    static let id = 32
    static let recordedAt = 48
    static let occurredAt = 56
    static let actor = 64
    static let correlation = 80
    static let causation = 96
    static let payloadLength = 112
    static let header = 116
    static let hash = 32
}

/// A reusable buffer in which a peer rebuilds a record's stored bytes (header, payload, chain
/// hash) so that the very projections the ledger replays can be applied to the peer's events.
///
/// The record is viewed with the library's public `EventRecord(validating:at:)`, which makes the
/// same checks the ledger makes on every record it reads (format version, flags, payload length,
/// position), so the peers pay for the same work.
public final class PeerRecordBuffer {
    // Unchecked: a class property would otherwise pay a dynamic exclusivity check on each of the
    // dozen field writes per record; the buffer is used from one thread, one call at a time.
    @exclusivity(unchecked) private var storage: UnsafeMutableRawBufferPointer

    public init(capacity: Int = 4096) throws {
        guard MemoryLayout<EventRecord>.size == MemoryLayout<UnsafeRawBufferPointer>.size,
              MemoryLayout<EventRecord>.alignment == MemoryLayout<UnsafeRawBufferPointer>.alignment,
              EnvelopeLayout.headerSize == PeerLayout.header, EnvelopeLayout.hashSize == PeerLayout.hash else {
            throw PeerError("EventRecord's layout is not the one this peer assumes (one UnsafeRawBufferPointer over a v1 envelope); the peer needs a public EventRecord initializer")
        }
        storage = .allocate(byteCount: max(capacity, PeerLayout.header + PeerLayout.hash), alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { storage.deallocate() }

    private func reserve(_ count: Int) {
        guard count > storage.count else { return }
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, storage.count * 2), alignment: 16)
        bigger.initializeMemory(as: UInt8.self, repeating: 0)
        storage.deallocate()
        storage = bigger
    }

    @inline(__always)
    private func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        storage.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }

    @inline(__always)
    private func store(_ id: UUID?, at offset: Int) {
        var raw = id?.uuid ?? (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let target = storage.baseAddress
        withUnsafeBytes(of: &raw) { source in
            guard let from = source.baseAddress, let target else { return }
            target.advanced(by: offset).copyMemory(from: from, byteCount: 16)
        }
    }

    @inline(__always)
    private func copy(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int, field: String) throws {
        guard bytes.count == count else { throw PeerError("\(field) is \(bytes.count) bytes, expected \(count)") }
        guard count > 0, let source = bytes.baseAddress, let target = storage.baseAddress else { return }
        target.advanced(by: offset).copyMemory(from: source, byteCount: count)
    }

    /// Writes the envelope fields; identifiers given as 16 raw bytes (empty for absent).
    @inline(__always)
    public func writeHeader(formatVersion: UInt8, flags: UInt8, schemaVersion: UInt16, typeTag: UInt32,
                            position: UInt64, streamKey: UInt64, revision: UInt64,
                            recordedAt: Int64, occurredAt: Int64, payloadCount: Int) {
        reserve(PeerLayout.header + payloadCount + PeerLayout.hash)
        storage[PeerLayout.formatVersion] = formatVersion
        storage[PeerLayout.flags] = flags
        store(schemaVersion, at: PeerLayout.schemaVersion)
        store(typeTag, at: PeerLayout.typeTag)
        store(position, at: PeerLayout.position)
        store(streamKey, at: PeerLayout.streamKey)
        store(revision, at: PeerLayout.revision)
        store(recordedAt, at: PeerLayout.recordedAt)
        store(occurredAt, at: PeerLayout.occurredAt)
        store(UInt32(truncatingIfNeeded: payloadCount), at: PeerLayout.payloadLength)
    }

    /// Copies 16 raw identifier bytes (or zeros for `nil`) into the id, actor, correlation or causation slot.
    @inline(__always)
    public func writeID(raw bytes: UnsafeRawBufferPointer?, slot: PeerIDSlot) throws {
        if let bytes {
            try copy(bytes, at: slot.offset, count: 16, field: slot.name)
        } else {
            store(nil, at: slot.offset)
        }
    }

    /// Writes an identifier value (or zeros for `nil`) into a slot.
    @inline(__always)
    public func writeID(_ id: UUID?, slot: PeerIDSlot) { store(id, at: slot.offset) }

    /// Copies the payload (after the header) and the chain hash (after the payload; zeros when `nil`).
    @inline(__always)
    public func writeBody(payload: UnsafeRawBufferPointer, hash: UnsafeRawBufferPointer?) throws {
        try copy(payload, at: PeerLayout.header, count: payload.count, field: "payload")
        let hashOffset = PeerLayout.header + payload.count
        if let hash {
            try copy(hash, at: hashOffset, count: PeerLayout.hash, field: "chain hash")
        } else if let base = storage.baseAddress {
            base.advanced(by: hashOffset).initializeMemory(as: UInt8.self, repeating: 0, count: PeerLayout.hash)
        }
    }

    /// Writes `envelope` with an empty payload and a zero chain hash: the record view of an event
    /// that a peer decoded from another representation (only the envelope fields are read).
    @inline(__always)
    public func write(_ envelope: PeerEnvelope) throws {
        writeHeader(formatVersion: envelope.formatVersion, flags: envelope.flags, schemaVersion: envelope.schemaVersion,
                    typeTag: envelope.typeTag, position: envelope.position, streamKey: envelope.streamKey,
                    revision: envelope.revision, recordedAt: envelope.recordedAt, occurredAt: envelope.occurredAt,
                    payloadCount: 0)
        writeID(envelope.id, slot: .id)
        writeID(envelope.actor, slot: .actor)
        writeID(envelope.correlationID, slot: .correlation)
        writeID(envelope.causationID, slot: .causation)
        try writeBody(payload: UnsafeRawBufferPointer(start: nil, count: 0), hash: nil)
    }

    /// Calls `body` with the record view of the bytes written last, checked as the ledger checks
    /// a record it reads (see the type's note on how the view is made).
    @inline(__always)
    public func withRecord<R>(_ body: (EventRecord) throws -> R) throws -> R {
        let payloadCount = Int(UInt32(littleEndian: storage.loadUnaligned(fromByteOffset: PeerLayout.payloadLength, as: UInt32.self)))
        let count = PeerLayout.header + payloadCount + PeerLayout.hash
        let bytes = UnsafeRawBufferPointer(rebasing: storage[0..<count])
        // The same checks the ledger makes on every record it reads.
        let position = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let record = try EventRecord(validating: bytes, at: position)
        return try body(record)
    }
}

/// The identifier slots of the envelope.
public enum PeerIDSlot: Sendable {
    case id, actor, correlation, causation

    var offset: Int {
        switch self {
        case .id: PeerLayout.id
        case .actor: PeerLayout.actor
        case .correlation: PeerLayout.correlation
        case .causation: PeerLayout.causation
        }
    }

    var name: String {
        switch self {
        case .id: "event id"
        case .actor: "actor"
        case .correlation: "correlation id"
        case .causation: "causation id"
        }
    }
}

/// Type tag → index in a projection's `eventTypes`, read once from the ledger: the same lookup
/// the ledger's replay does (an array indexed by tag).
public struct PeerTypeMap: Sendable {
    private let indexByTag: [Int]
    /// Type name per tag, for the documents that carry a name.
    public let nameByTag: [UInt32: String]

    public init(eventTypes: [String], ledger: Ledger) throws {
        var indexByTag: [Int] = []
        var nameByTag: [UInt32: String] = [:]
        try ledger.read { reader in
            for (index, name) in eventTypes.enumerated() {
                guard let tag = try reader.typeTag(of: name) else { continue }
                let slot = Int(tag)
                guard slot < 1 << 20 else { throw PeerError("type tag \(tag) of \(name) is larger than this peer's table") }
                if indexByTag.count <= slot { indexByTag += Array(repeating: -1, count: slot + 1 - indexByTag.count) }
                indexByTag[slot] = index
                nameByTag[tag] = name
            }
        }
        self.indexByTag = indexByTag
        self.nameByTag = nameByTag
    }

    /// The projection's index of the type with `tag`; `nil` when the projection does not read it.
    @inline(__always)
    public func index(of tag: UInt32) -> Int? {
        let slot = Int(tag)
        guard slot < indexByTag.count else { return nil }
        let index = indexByTag[slot]
        return index >= 0 ? index : nil
    }
}
