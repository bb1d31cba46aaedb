/// Maps a record's type tag to the index of its type in a projection's ``Projection/eventTypes``
/// (or to "skip"), with one array lookup per event.
@usableFromInline
struct ProjectionTypeMap {
    /// Indexed by type tag; -1 means the projection does not read the type.
    @usableFromInline var indexByTag: [Int32]

    /// Resolves `eventTypes` to this ledger's tags; types never stored map to nothing.
    @usableFromInline
    init(_ eventTypes: [String], reader: LedgerReader) throws {
        indexByTag = []
        for (index, name) in eventTypes.enumerated() {
            guard let tag = try reader.typeTag(of: name) else { continue }
            let slot = Int(tag)
            guard slot < 1 << 20 else {
                throw LedgerError(.corruptRecord, "type '\(name)' has tag \(tag), beyond any this ledger hands out")
            }
            if indexByTag.count <= slot { indexByTag += repeatElement(-1, count: slot + 1 - indexByTag.count) }
            indexByTag[slot] = Int32(index)
        }
    }

    /// The index of `tag`'s type, or nil when the projection skips it.
    @usableFromInline @inline(__always)
    func index(of tag: UInt32) -> Int? {
        let slot = Int(tag)
        guard slot < indexByTag.count else { return nil }
        let index = indexByTag[slot]
        return index >= 0 ? Int(index) : nil
    }

    /// Whether the projection reads no type this ledger has stored.
    @usableFromInline var isEmpty: Bool { !indexByTag.contains { $0 >= 0 } }
}
