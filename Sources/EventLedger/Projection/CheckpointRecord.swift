import Foundation
import LMDBKit

/// The stored form of a checkpoint, in the `checkpoints` database.
///
/// Key: the projection's name (UTF-8); a rebuild in progress is kept aside under the name followed
/// by a NUL byte and `rebuild`. Value: format (1 byte, 1), version (UInt32 LE), position (UInt64
/// LE), then the state as JSON. State and position share one value, so they are
/// written by one put in one transaction: they can never disagree.
struct CheckpointRecord: Equatable {
    static let format: UInt8 = 1
    static let headerSize = 13

    var version: UInt32
    var position: UInt64
    var stateBytes: [UInt8]

    static func key(_ name: String) -> [UInt8] { Array(name.utf8) }
    static func asideKey(_ name: String) -> [UInt8] { Array(name.utf8) + [0] + Array("rebuild".utf8) }

    var bytes: [UInt8] {
        var out = [Self.format]
        out.reserveCapacity(Self.headerSize + stateBytes.count)
        withUnsafeBytes(of: version.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: position.littleEndian) { out.append(contentsOf: $0) }
        out += stateBytes
        return out
    }

    /// Parses a stored value; `name` is for the error.
    init(parsing raw: UnsafeRawBufferPointer, name: String) throws {
        let header = try Self.header(parsing: raw, name: name)
        version = header.version
        position = header.position
        stateBytes = Array(raw[Self.headerSize...])
    }

    init(version: UInt32, position: UInt64, stateBytes: [UInt8]) {
        self.version = version
        self.position = position
        self.stateBytes = stateBytes
    }

    /// The version and position of a stored checkpoint, read without copying its state.
    struct Header: Equatable {
        var version: UInt32
        var position: UInt64
    }

    /// Parses the header of a stored value; `name` is for the error.
    static func header(parsing raw: UnsafeRawBufferPointer, name: String) throws -> Header {
        guard raw.count >= Self.headerSize, raw[0] == Self.format else {
            throw LedgerError(.corruptRecord, "the checkpoint of projection '\(name)' is damaged or of an unknown format (\(raw.count) bytes)")
        }
        return Header(version: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 1, as: UInt32.self)),
                      position: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 5, as: UInt64.self)))
    }

    static func loadHeader(_ key: [UInt8], name: String, txn: LMDBReadTransaction, store: LedgerStore) throws -> Header? {
        guard let raw = try key.withUnsafeBytes({ try txn.get(store.checkpoints, key: $0) }) else { return nil }
        return try header(parsing: raw, name: name)
    }

    static func loadHeader(_ key: [UInt8], name: String, txn: LMDBWriteTransaction, store: LedgerStore) throws -> Header? {
        try loadHeader(key, name: name, txn: txn.reader, store: store)
    }

    static func load(_ key: [UInt8], name: String, txn: LMDBReadTransaction, store: LedgerStore) throws -> CheckpointRecord? {
        guard let raw = try key.withUnsafeBytes({ try txn.get(store.checkpoints, key: $0) }) else { return nil }
        return try CheckpointRecord(parsing: raw, name: name)
    }

    static func load(_ key: [UInt8], name: String, txn: LMDBWriteTransaction, store: LedgerStore) throws -> CheckpointRecord? {
        guard let raw = try key.withUnsafeBytes({ try txn.get(store.checkpoints, key: $0) }) else { return nil }
        return try CheckpointRecord(parsing: raw, name: name)
    }
}
