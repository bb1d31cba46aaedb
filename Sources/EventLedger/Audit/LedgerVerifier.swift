import LMDBKit

/// Walks the whole log in one snapshot and checks everything the ledger promises.
///
/// For each position from 1: the key is the next position; the envelope decodes; the chain hash
/// is SHA-256(previous hash, canonical bytes); recorded-at does not decrease; the stream revision is
/// the stream's next; the type tag and stream key are known; the payload decodes when its type is
/// registered; the `streams`, `types` and `event-ids` entries point back at the position. Then: the
/// head in `meta` is the last record; each index has exactly one entry per event; `stream-names`
/// and `stream-keys` agree with the streams seen. The first fault ends the walk.
struct LedgerVerifier {
    let reader: LedgerReader
    let progress: ((UInt64) -> Void)?

    private var store: LedgerStore { reader.store }
    private var txn: LMDBReadTransaction { reader.txn }

    func run() throws -> VerificationReport {
        var position: UInt64 = 0
        var hash = ChainHash.genesis
        var lastRecordedAt = Timestamp.distantPast
        var nextRevision: [UInt64: UInt64] = [:]
        var decoded: UInt64 = 0
        var notDecoded: UInt64 = 0

        func report(_ fault: VerificationFault?) -> VerificationReport {
            VerificationReport(
                eventsChecked: fault == nil ? position : position.saturatingDecrement,
                head: LedgerHead(position: position, hash: hash, recordedAt: position == 0 ? nil : lastRecordedAt),
                streamCount: nextRevision.count, payloadsDecoded: decoded, payloadsNotDecoded: notDecoded,
                firstFault: fault)
        }

        // LMDB must not read a damaged page: when the open did not check them, check them now.
        let environment = store.environment
        let pageFaults: [LMDBPageFault]
        if environment.options.checksPagesAtOpen {
            pageFaults = environment.pageFaults
        } else {
            do {
                pageFaults = try environment.checkPages().faults
            } catch let error as LMDBError {
                return report(VerificationFault(kind: .storageFault, position: nil, message: "the data file's pages cannot be checked: \(error)"))
            }
            if let first = pageFaults.first { return report(Self.fault(first)) }
        }

        let walkFault: VerificationFault?
        do {
            walkFault = try walk(&position, &hash, &lastRecordedAt, &nextRevision, &decoded, &notDecoded)
        } catch let error as LMDBError {
            return report(VerificationFault(kind: .storageFault, position: max(position, 1), message: "LMDB reported damage while checking: \(Self.describe(error))"))
        } catch let error as LedgerError {
            return report(VerificationFault(kind: .corruptRecord, position: error.position ?? max(position, 1), message: error.message))
        }
        if let walkFault { return report(walkFault) }
        progress?(position)
        do {
            if let fault = try checkTotals(position: position, hash: hash, nextRevision: nextRevision) { return report(fault) }
        } catch let error as LMDBError {
            return report(VerificationFault(kind: .storageFault, position: error.pageFault.flatMap(PageDamage.firstUnreadablePosition), message: "LMDB reported damage while checking the indexes: \(error.pageFault.map(PageDamage.describe) ?? error.description)"))
        }
        // Damage the walk did not meet (the free-page list, checkpoints, a record's counts).
        return report(pageFaults.first.map(Self.fault))
    }

    /// An LMDB error in words: the damaged page when the page check stopped the read.
    static func describe(_ error: LMDBError) -> String {
        error.pageFault.map(PageDamage.describe) ?? error.description
    }

    /// The fault for damage the page check found.
    static func fault(_ damage: LMDBPageFault) -> VerificationFault {
        VerificationFault(kind: .storageFault, position: PageDamage.firstUnreadablePosition(damage), message: PageDamage.describe(damage))
    }

    private func walk(
        _ position: inout UInt64, _ hash: inout ChainHash, _ lastRecordedAt: inout Timestamp,
        _ nextRevision: inout [UInt64: UInt64], _ decoded: inout UInt64, _ notDecoded: inout UInt64
    ) throws -> VerificationFault? {
        try txn.withCursor(store.events) { cursor in
            var entry: LMDBCursor.Entry?
            do { entry = try cursor.first() } catch let error as LMDBError {
                position = 1
                return VerificationFault(kind: .storageFault, position: 1, message: "LMDB cannot read the log: \(Self.describe(error))")
            }
            while let (key, value) = entry {
                position += 1
                guard key.count == 8, let stored = LedgerKeys.uint64(key) else {
                    return VerificationFault(kind: .positionGap, position: position, message: "the log holds a \(key.count)-byte key where position \(position) should be")
                }
                guard stored == position else {
                    return VerificationFault(kind: .positionGap, position: position, message: "expected position \(position), found \(stored)")
                }
                let record: EventRecord
                do { record = try EventRecord(validating: value, at: position) } catch let error as LedgerError {
                    return VerificationFault(kind: .corruptRecord, position: position, message: error.message)
                }
                let expected = ChainHasher.next(previous: hash, canonical: record.canonicalBytes)
                guard expected == record.chainHash else {
                    return VerificationFault(kind: .chainMismatch, position: position, message: "stored chain hash \(record.chainHash) differs from the recomputed \(expected): the record or one before it was altered")
                }
                hash = expected
                guard record.recordedAt >= lastRecordedAt else {
                    return VerificationFault(kind: .recordedAtDecreased, position: position, message: "recorded at \(record.recordedAt), before the previous record's \(lastRecordedAt)")
                }
                lastRecordedAt = record.recordedAt
                let revision = nextRevision[record.streamKey, default: 0]
                guard record.streamRevision == revision else {
                    return VerificationFault(kind: .revisionGap, position: position, message: "stream key \(record.streamKey) expected revision \(revision), found \(record.streamRevision)")
                }
                nextRevision[record.streamKey] = revision + 1
                if let fault = try checkIndexes(record, position: position) { return fault }
                switch try checkPayload(record, position: position) {
                case .decoded: decoded += 1
                case .notRegistered: notDecoded += 1
                case .fault(let fault): return fault
                }
                if let progress, position & 0xFFFF == 0 { progress(position) }
                do { entry = try cursor.next() } catch let error as LMDBError {
                    position += 1
                    return VerificationFault(kind: .storageFault, position: position, message: "LMDB cannot read past position \(position - 1): \(Self.describe(error))")
                }
            }
            return nil
        }
    }

    private enum PayloadCheck {
        case decoded, notRegistered
        case fault(VerificationFault)
    }

    private func checkPayload(_ record: EventRecord, position: UInt64) throws -> PayloadCheck {
        guard let name = try reader.typeTags.name(of: record.typeTag, in: txn, meta: store.meta) else {
            return .fault(VerificationFault(kind: .unknownType, position: position, message: "type tag \(record.typeTag) was never assigned"))
        }
        guard reader.registry.isRegistered(name) else { return .notRegistered }
        do {
            _ = try reader.registry.decode(eventType: name, schemaVersion: record.schemaVersion, payload: record.payload)
            return .decoded
        } catch {
            return .fault(VerificationFault(kind: .undecodablePayload, position: position, message: "\(name) payload does not decode: \(error)"))
        }
    }

    private func checkIndexes(_ record: EventRecord, position: UInt64) throws -> VerificationFault? {
        func mismatch(_ text: String) -> VerificationFault {
            VerificationFault(kind: .indexMismatch, position: position, message: text)
        }
        // A read by position must find this very record: a damaged branch page can send lookups
        // down the wrong path while a cursor walk still passes every leaf.
        let byKey = try LedgerKeys.withPositionKey(position) { try txn.get(store.events, key: $0) }
        guard let byKey, byKey.baseAddress == record.storedBytes.baseAddress, byKey.count == record.storedBytes.count else {
            return VerificationFault(kind: .corruptRecord, position: position, message: "a lookup of position \(position) does not find the record the log holds there: the events tree is damaged")
        }
        let streamEntry = try LedgerKeys.withStreamRevisionKey(record.streamKey, record.streamRevision) { try txn.get(store.streams, key: $0) }
        guard let streamEntry, streamEntry.count == 8, LedgerKeys.uint64(streamEntry) == position else {
            return mismatch("the streams index has no entry for stream key \(record.streamKey) revision \(record.streamRevision) pointing here")
        }
        guard try LedgerKeys.withTypeKey(record.typeTag, position, { try txn.get(store.types, key: $0) }) != nil else {
            return mismatch("the types index has no entry for type tag \(record.typeTag) at this position")
        }
        let idEntry = try LedgerKeys.withIDKey(record.id) { try txn.get(store.eventIDs, key: $0) }
        guard let idEntry, idEntry.count == 8, LedgerKeys.uint64(idEntry) == position else {
            return mismatch("the event-ids index does not map event \(record.id) to this position")
        }
        if record.streamRevision == 0, try txn.get(store.streamKeys, key: record.streamKey) == nil {
            return VerificationFault(kind: .unknownStream, position: position, message: "stream key \(record.streamKey) has no name in stream-keys")
        }
        return nil
    }

    private func checkTotals(position: UInt64, hash: ChainHash, nextRevision: [UInt64: UInt64]) throws -> VerificationFault? {
        let last: UInt64? = position == 0 ? nil : position
        // The head recorded in meta.
        let head = try Array(MetaKey.head.utf8).withUnsafeBytes { try txn.get(store.meta, key: $0) }
        if let head {
            let storedPosition = LedgerKeys.uint64(head)
            let storedHash = head.count == 40 ? ChainHash(loadingFrom: UnsafeRawBufferPointer(rebasing: head[8..<40])) : nil
            if storedPosition != position || storedHash != hash {
                return VerificationFault(kind: .headMismatch, position: last, message: "meta records head \(storedPosition.map(String.init) ?? "?") \(storedHash?.hex ?? "?"), but the log ends at \(position) \(hash.hex)")
            }
        } else if position > 0 {
            return VerificationFault(kind: .headMismatch, position: last, message: "meta records no head, but the log ends at \(position)")
        }
        // One index entry per event.
        let count = Int(position)
        for (database, name) in [(store.streams, "streams"), (store.types, "types"), (store.eventIDs, "event-ids")] {
            let entries = try txn.entryCount(database)
            if entries != count {
                return VerificationFault(kind: .indexMismatch, position: nil, message: "the \(name) index has \(entries) entries for \(count) events")
            }
        }
        // Stream names and keys agree with the streams seen.
        let names = try txn.entryCount(store.streamNames)
        let keys = try txn.entryCount(store.streamKeys)
        if names != nextRevision.count || keys != nextRevision.count {
            return VerificationFault(kind: .indexMismatch, position: nil, message: "\(nextRevision.count) streams in the log, but stream-names has \(names) entries and stream-keys \(keys)")
        }
        return try txn.withCursor(store.streamNames) { cursor -> VerificationFault? in
            var entry = try cursor.first()
            while let (nameBytes, value) = entry {
                let name = String(decoding: nameBytes, as: UTF8.self)
                guard let key = LedgerKeys.uint64(value, at: 0), let revision = LedgerKeys.uint64(value, at: 8),
                      let next = nextRevision[key], revision + 1 == next else {
                    return VerificationFault(kind: .indexMismatch, position: nil, message: "stream-names entry of '\(name)' does not match the log")
                }
                guard let stored = try txn.get(store.streamKeys, key: key), stored.elementsEqual(nameBytes) else {
                    return VerificationFault(kind: .indexMismatch, position: nil, message: "stream-keys does not map key \(key) back to '\(name)'")
                }
                entry = try cursor.next()
            }
            return nil
        }
    }
}

extension UInt64 {
    fileprivate var saturatingDecrement: UInt64 { self == 0 ? 0 : self - 1 }
}
