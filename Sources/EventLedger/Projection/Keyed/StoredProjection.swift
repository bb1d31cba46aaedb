import LMDBKit

/// A projection whose checkpoint is kept in a ledger, as ``Ledger/storedProjections()`` lists it.
public struct StoredProjection: Sendable, Hashable {
    /// How its state is kept.
    public enum Kind: Sendable, Hashable {
        /// As rows by key (``PersistentProjection``).
        case rows
        /// As one whole state (``CheckpointedProjection``).
        case wholeState
    }

    /// Its name.
    public var name: String
    /// How its state is kept.
    public var kind: Kind
    /// The version of the stored state.
    public var version: UInt32
    /// The position the stored state reflects.
    public var position: UInt64
    /// The position a rebuild under way (of another version) has reached, when one is.
    public var rebuildPosition: UInt64?
    /// The log's head position when it was listed.
    public var headPosition: UInt64

    /// Events the stored state is behind the head.
    public var lag: UInt64 { headPosition > position ? headPosition - position : 0 }

    /// Creates a listing entry.
    public init(name: String, kind: Kind, version: UInt32, position: UInt64, rebuildPosition: UInt64?, headPosition: UInt64) {
        self.name = name
        self.kind = kind
        self.version = version
        self.position = position
        self.rebuildPosition = rebuildPosition
        self.headPosition = headPosition
    }
}

extension Ledger {
    /// Every projection whose checkpoint this ledger keeps, by name, with where it stands.
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` for a damaged checkpoint; storage errors.
    public func storedProjections() throws -> [StoredProjection] {
        try withStorage("listing the stored projections") { store in
            try store.environment.read { txn in
                let reader = LedgerReader(txn: txn, store: store, typeTags: typeTags, registry: registry, scanResidentLimit: options.scanResidentLimit)
                let head = try reader.head().position
                var found: [StoredProjection] = []
                var rebuilds: [String: UInt64] = [:]
                try txn.withCursor(store.checkpoints) { cursor in
                    var entry = try cursor.first()
                    while let (key, value) = entry {
                        let bytes = Array(key)
                        if let nul = bytes.firstIndex(of: 0), nul + 1 < bytes.count, bytes[nul + 1] == 1 {
                            // A projection's rows: skip past all of them in one seek.
                            let past = Array(bytes[...nul]) + [2]
                            entry = try past.withUnsafeBytes { try cursor.seek(atOrAfter: $0) }
                            continue
                        }
                        if let nul = bytes.firstIndex(of: 0) {
                            // A rebuild under way, or a row: only rebuild checkpoints are listed.
                            if Array(bytes[(nul + 1)...]) == Array("rebuild".utf8) {
                                let name = String(decoding: bytes[..<nul], as: UTF8.self)
                                switch try RowCheckpoint.parse(value, name: name) {
                                case .keyed(let aside): rebuilds[name] = aside.position
                                case .otherKind: rebuilds[name] = try CheckpointRecord.header(parsing: value, name: name).position
                                case .none: break
                                }
                            }
                        } else {
                            let name = String(decoding: bytes, as: UTF8.self)
                            switch try RowCheckpoint.parse(value, name: name) {
                            case .keyed(let main):
                                found.append(StoredProjection(name: name, kind: .rows, version: main.version, position: main.position,
                                                              rebuildPosition: nil, headPosition: head))
                            case .otherKind:
                                let header = try CheckpointRecord.header(parsing: value, name: name)
                                found.append(StoredProjection(name: name, kind: .wholeState, version: header.version, position: header.position,
                                                              rebuildPosition: nil, headPosition: head))
                            case .none: break
                            }
                        }
                        entry = try cursor.next()
                    }
                }
                for index in found.indices { found[index].rebuildPosition = rebuilds[found[index].name] }
                return found
            }
        }
    }
}
