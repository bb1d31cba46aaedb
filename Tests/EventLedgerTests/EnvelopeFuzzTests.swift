import EventLedger
import Foundation
import LedgerTestSupport
import FuzzSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Fuzzing of the envelope decoder (`EventRecord(validating:at:)`) and of `EventPayloadReader`
// (issue 7, "Reliability"): seeded random and mutated inputs, each case checked against an
// independent model of what must happen. Nothing may crash, hang or allocate in proportion to a
// length read from the input.
//
// Environment:
// - `LEDGER_FUZZ_CASES`: cases per test (default 20,000; `make soak` runs 1,000,000).
// - `LEDGER_FUZZ_SEED`: the base seed, decimal or 0x-hex (default 0x5EED_F022_0000_0007). Every
//   failure names it and the case index; the same seed and count replay the same cases exactly.
// - `LEDGER_FUZZ_TRACE`: when set, prints every case index before it runs (to find a crashing
//   case: the last line printed).
//
// Each test ends by printing `fuzz <name>: <n> cases, 0 crashes, …, seed 0x…` for the soak log.

// The seeded generators, settings and run bookkeeping are in FuzzSupport.

// MARK: - Little-endian reads for the model (independent of the library)

private func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
}

private func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
}

private func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
    (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
}

private func le32(_ buffer: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(buffer[at + $1]) << (8 * UInt32($1)) }
}

private func le64(_ buffer: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
    (0..<8).reduce(UInt64(0)) { $0 | UInt64(buffer[at + $1]) << (8 * UInt64($1)) }
}

private func storeLE32(_ value: UInt32, into bytes: inout [UInt8], at: Int) {
    for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
}

private func storeLE64(_ value: UInt64, into bytes: inout [UInt8], at: Int) {
    for i in 0..<8 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
}

private func uuidBytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

// MARK: - The envelope model

/// Offsets of the record format (README, "Record format"), written out again so the test does not
/// trust the library's own constants.
private enum Layout {
    static let header = 116
    static let hash = 32
    static let minimum = header + hash
    static let flags = 1
    static let position = 8
    static let payloadLength = 112
}

/// What `EventRecord(validating:at:)` must decide: valid exactly when the bytes are at least a
/// header and a hash, version 1, no unknown flag, the payload length matching the size, and the
/// position field equal to `position`.
private func modelAccepts(_ bytes: [UInt8], at position: UInt64) -> Bool {
    guard bytes.count >= Layout.minimum, bytes[0] == 1, bytes[Layout.flags] & ~7 == 0 else { return false }
    guard Layout.minimum + Int(le32(bytes, Layout.payloadLength)) == bytes.count else { return false }
    return le64(bytes, Layout.position) == position
}

/// The position a case validates `bytes` at: mostly the one the bytes claim (so that damaged but
/// well-formed records get through to the accessors), sometimes the record's own, sometimes any.
private func probePosition(_ bytes: [UInt8], original: UInt64, _ random: inout FuzzRandom) -> UInt64 {
    switch random.below(10) {
    case 0...6 where bytes.count >= Layout.position + 8: return le64(bytes, Layout.position)
    case 7: return original
    case 8: return random.pick([0, 1, UInt64.max, UInt64(Int64.max) + 1])
    default: return random.next()
    }
}

/// The counts a fuzz run of the envelope keeps.
private struct EnvelopeTally {
    var validated = 0
    var rejected = 0
    var payloadsDecoded = 0
}

/// Validates `bytes` at `position`, checks the decision against the model, and for a record that
/// validates reads every accessor and decodes its payload with every sample type.
private func checkEnvelope(
    _ bytes: [UInt8], at position: UInt64, registry: EventTypeRegistry, tally: inout EnvelopeTally,
    index: Int, run: inout FuzzRun
) {
    let expected = modelAccepts(bytes, at: position)
    let problems: [String] = bytes.withUnsafeBytes { raw -> [String] in
        var problems: [String] = []
        let record: EventRecord
        do throws(LedgerError) {
            record = try EventRecord(validating: raw, at: position)
        } catch {
            tally.rejected += 1
            if expected { problems.append("rejected a well-formed record of \(bytes.count) bytes at \(position): \(error)") }
            if error.code != .corruptRecord { problems.append("rejected with \(error.code), not corruptRecord: \(error)") }
            if error.position != position { problems.append("the error names position \(String(describing: error.position)), not \(position)") }
            return problems
        }
        tally.validated += 1
        if !expected {
            problems.append("accepted \(bytes.count) bytes at position \(position) that are not a record: \(bytes.prefix(Layout.minimum))")
            return problems
        }
        problems += envelopeAccessorProblems(record, bytes, raw, at: position)
        // The payload through every sample codec: a value or an EventPayloadError, nothing else.
        for eventType in registry.eventTypes {
            do {
                _ = try registry.decode(eventType: eventType, schemaVersion: record.schemaVersion, payload: record.payload)
                tally.payloadsDecoded += 1
            } catch is EventPayloadError {
                // Rejected cleanly.
            } catch {
                problems.append("decoding the payload as \(eventType) threw \(type(of: error)), not EventPayloadError: \(error)")
            }
        }
        return problems
    }
    for problem in problems { run.fail(index, problem) }
}

/// Every accessor of a validated record against the bytes, read independently.
private func envelopeAccessorProblems(_ record: EventRecord, _ bytes: [UInt8], _ raw: UnsafeRawBufferPointer, at position: UInt64) -> [String] {
    var problems: [String] = []
    func check(_ condition: Bool, _ what: @autoclosure () -> String) {
        if !condition { problems.append(what()) }
    }
    let flags = bytes[Layout.flags]
    let payloadCount = Int(le32(bytes, Layout.payloadLength))
    func optionalID(_ bit: UInt8, _ offset: Int) -> [UInt8]? {
        flags & bit != 0 ? Array(bytes[offset..<offset + 16]) : nil
    }
    check(record.formatVersion == 1, "formatVersion \(record.formatVersion)")
    check(record.position == position, "position \(record.position), validated at \(position)")
    check(record.schemaVersion == le16(bytes, 2), "schemaVersion")
    check(record.typeTag == le32(bytes, 4), "typeTag")
    check(record.streamKey == le64(bytes, 16), "streamKey")
    check(record.streamRevision == le64(bytes, 24), "streamRevision")
    check(uuidBytes(record.id) == Array(bytes[32..<48]), "id")
    check(record.recordedAt.microsecondsSinceEpoch == Int64(bitPattern: le64(bytes, 48)), "recordedAt")
    check(record.occurredAt.microsecondsSinceEpoch == Int64(bitPattern: le64(bytes, 56)), "occurredAt")
    check(record.actor.map(uuidBytes) == optionalID(1, 64), "actor with flags \(flags)")
    check(record.correlationID.map(uuidBytes) == optionalID(2, 80), "correlationID with flags \(flags)")
    check(record.causationID.map(uuidBytes) == optionalID(4, 96), "causationID with flags \(flags)")
    // The payload and the canonical bytes are views of the buffer, inside it.
    let payload = record.payload
    let base = raw.baseAddress.map { Int(bitPattern: $0) } ?? 0
    let payloadStart = payload.baseAddress.map { Int(bitPattern: $0) } ?? base + Layout.header
    check(payload.count == payloadCount, "payload of \(payload.count) bytes, the length field says \(payloadCount)")
    check(payloadStart == base + Layout.header, "the payload does not start after the header")
    check(payloadStart >= base && payloadStart + payload.count <= base + raw.count - Layout.hash,
          "the payload [\(payloadStart - base), +\(payload.count)) lies outside the buffer's \(raw.count - Layout.hash) canonical bytes")
    check(Array(payload) == Array(bytes[Layout.header..<Layout.header + payloadCount]), "payload bytes")
    let canonical = record.canonicalBytes
    check(canonical.count == bytes.count - Layout.hash, "canonicalBytes count \(canonical.count)")
    check(canonical.baseAddress.map { Int(bitPattern: $0) } ?? base == base, "canonicalBytes do not start at the record")
    check(record.chainHash.bytes == Array(bytes[(bytes.count - Layout.hash)...]), "chainHash")
    check(record.storedBytes.count == bytes.count, "storedBytes count")
    return problems
}

// MARK: - Valid records from a real ledger

/// A record as a ledger stored it.
private struct StoredRecord: Sendable {
    let position: UInt64
    let eventType: String
    let bytes: [UInt8]
}

/// Records of every sample type, with and without actor, correlation and causation ids, short and
/// long payloads, appended to a real ledger and copied out of the map.
private func storedRecords() throws -> [StoredRecord] {
    let directory = try TemporaryDirectory("envelope-fuzz")
    let clock = ManualClock(Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000))
    var options = LedgerOptions()
    options.clock = clock
    let ledger = try Ledger(directory: directory.child("ledger"), registry: .samples(), options: options)
    defer { ledger.close() }
    let texts = ["", "a", "héllo wörld", "日本語テキスト 👍🏽", "nul\u{0}inside", String(repeating: "x", count: 300),
                 String(repeating: "é日", count: 700)]
    // Fixed ids and a manual clock: the stored bytes, and so every case, are the same on every run.
    func id(_ n: Int, _ role: UInt8) -> UUID {
        UUID(uuid: (UInt8(n), role, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0xAA))
    }
    var proposals: [ProposedEvent] = []
    for (index, text) in texts.enumerated() {
        let ids = (1...3).map { id(index, UInt8($0)) }
        proposals.append(try ProposedEvent(
            SampleEvent(sequence: UInt64(index) &* 0x0123_4567_89AB_CDEF, text: text), id: id(index, 0),
            occurredAt: Timestamp(microsecondsSinceEpoch: -Int64(index) * 1_000_000_007),
            actor: index & 1 != 0 ? ids[0] : nil,
            correlationID: index & 2 != 0 ? ids[1] : nil,
            causationID: index & 4 != 0 ? ids[2] : nil))
    }
    for (index, amount) in [Int64(0), 1, .max].enumerated() {
        proposals.append(try ProposedEvent(AmountRecorded(amount: amount), id: id(20 + index, 0), actor: id(20 + index, 1)))
    }
    proposals.append(try ProposedEvent(NoteAdded(note: "a JSON payload", author: id(30, 1)), id: id(30, 0)))
    proposals.append(try ProposedEvent(NoteAdded(note: ""), id: id(31, 0)))
    for (index, proposal) in proposals.enumerated() {
        clock.advance(seconds: Double(index) * 3_600)
        _ = try ledger.append([proposal], to: index.isMultiple(of: 2) ? "fuzz/even" : "fuzz/odd")
    }
    return try ledger.read { reader in
        var records: [StoredRecord] = []
        try reader.forEach(.all()) { record in
            let copy = try reader.recordedEvent(record)
            let stored = Array(record.storedBytes)
            guard stored == copy.canonicalBytes + copy.chainHash.bytes else {
                throw LedgerError(.corruptRecord, "stored bytes differ from canonical bytes + chain hash at \(record.position)")
            }
            records.append(StoredRecord(position: record.position, eventType: copy.eventType, bytes: stored))
        }
        return records
    }
}

// MARK: - Mutations

/// Values that break length fields: the largest, the sign bit, just past the 16 MiB payload limit.
private let hugeLengths: [UInt32] = [.max, 0x8000_0000, 0x7FFF_FFFF, 0x0100_0000, 0x0100_0001, 0x00FF_FFFF, 0x1000_0000]

/// One mutation of a record: bit flips, overwrites, huge lengths and counts, cuts and extensions.
private func mutate(_ bytes: inout [UInt8], donors: [StoredRecord], _ random: inout FuzzRandom) {
    switch random.below(16) {
    case 0: // flip 1 to 8 bits anywhere
        guard !bytes.isEmpty else { return }
        for _ in 0..<random.int(in: 1...8) { bytes[random.below(bytes.count)] ^= 1 << UInt8(random.below(8)) }
    case 1: // a byte to 0x00, 0xFF or anything
        guard !bytes.isEmpty else { return }
        bytes[random.below(bytes.count)] = random.pick([0x00, 0xFF, random.byte()])
    case 2: // a run of 1 to 16 bytes to 0x00, 0xFF or random
        guard !bytes.isEmpty else { return }
        let start = random.below(bytes.count)
        let end = min(bytes.count, start + random.int(in: 1...16))
        let fill = random.below(3)
        for i in start..<end { bytes[i] = fill == 0 ? 0 : fill == 1 ? 0xFF : random.byte() }
    case 3: // the payload-length field to a huge or off-by-one value
        guard bytes.count >= Layout.header else { return }
        let actual = UInt32(truncatingIfNeeded: max(0, bytes.count - Layout.minimum))
        let value = random.chance(60) ? random.pick(hugeLengths) : random.pick([actual &+ 1, actual &- 1, 0, actual &+ 32, UInt32(truncatingIfNeeded: random.next())])
        storeLE32(value, into: &bytes, at: Layout.payloadLength)
    case 4: // a "count" inside the payload (a string length, an array count) to a huge value
        guard bytes.count >= Layout.minimum + 4 else { return }
        let offset = Layout.header + random.below(bytes.count - Layout.minimum - 3)
        storeLE32(random.pick(hugeLengths + [UInt32(bytes.count), UInt32(truncatingIfNeeded: random.next())]), into: &bytes, at: offset)
    case 5: // the string length of a Sample payload (after its 8-byte sequence)
        guard bytes.count >= Layout.minimum + 12 else { return }
        let left = UInt32(bytes.count - Layout.minimum - 12)
        storeLE32(random.pick(hugeLengths + [left &+ 1, left, 0]), into: &bytes, at: Layout.header + 8)
    case 6: // the flags: known combinations (still valid) or unknown bits
        guard bytes.count > Layout.flags else { return }
        bytes[Layout.flags] = random.chance(50) ? UInt8(random.below(8)) : random.byte()
    case 7: // the format version
        guard !bytes.isEmpty else { return }
        bytes[0] = random.pick([0, 1, 2, 0x7F, 0xFF])
    case 8: // the position field
        guard bytes.count >= Layout.position + 8 else { return }
        storeLE64(random.pick([0, 1, .max, random.next()]), into: &bytes, at: Layout.position)
    case 9: // truncate
        bytes.removeSubrange(random.int(in: 0...bytes.count)...)
    case 10: // extend with 1 to 64 bytes
        bytes += random.bytes(random.int(in: 1...64))
    case 11, 12: // resize the payload and keep the length field consistent (so the record validates)
        guard bytes.count >= Layout.minimum else { return }
        let payloadEnd = bytes.count - Layout.hash
        let at = random.int(in: Layout.header...payloadEnd)
        if random.chance(50) {
            bytes.insert(contentsOf: random.bytes(random.int(in: 1...40)), at: at)
        } else {
            bytes.removeSubrange(at..<min(payloadEnd, at + random.int(in: 1...40)))
        }
        storeLE32(UInt32(truncatingIfNeeded: bytes.count - Layout.minimum), into: &bytes, at: Layout.payloadLength)
    case 13: // another record's header on this one's payload, or the other way round
        guard let donor = donors.isEmpty ? nil : random.pick(donors), bytes.count >= Layout.header else { return }
        let header = random.chance(50) ? Array(donor.bytes[..<Layout.header]) : Array(bytes[..<Layout.header])
        let tail = random.chance(50) ? Array(donor.bytes[Layout.header...]) : Array(bytes[Layout.header...])
        bytes = header + tail
    case 14: // duplicate or drop a chunk anywhere
        guard !bytes.isEmpty else { return }
        let start = random.below(bytes.count)
        let end = min(bytes.count, start + random.int(in: 1...32))
        if random.chance(50) { bytes.insert(contentsOf: Array(bytes[start..<end]), at: start) } else { bytes.removeSubrange(start..<end) }
    default: // exactly the minimum size, or one byte short of it
        let target = Layout.minimum - random.below(2)
        bytes = Array(bytes.prefix(target))
        while bytes.count < target { bytes.append(random.byte()) }
    }
}

// MARK: - EventPayloadReader model

/// One read of ``EventPayloadReader``.
private enum ReadOp: CaseIterable {
    case uint8, uint16, uint32, uint64, int32, int64, double, timestamp, bool, uuid, string, uuidArray, bytes
    case optionalUUID, arrayOfUInt32, arrayOfStrings, nested, bytesArrayMinimumOne, expectEnd, remainingBytes
}

/// The value a read produced, compared bit for bit.
private enum ReadValue: Equatable {
    case unsigned(UInt64)
    case signed(Int64)
    case bool(Bool)
    case bytes([UInt8])
    case string(String)
    case ids([UUID])
    case optionalID(UUID?)
    case numbers([UInt32])
    case strings([String])
    case nested([[String?]]?)
    case none
}

/// Performs `op` on `reader`, returning its value.
private func perform(_ op: ReadOp, _ reader: inout EventPayloadReader) throws -> ReadValue {
    switch op {
    case .uint8: return .unsigned(UInt64(try reader.readUInt8()))
    case .uint16: return .unsigned(UInt64(try reader.readUInt16()))
    case .uint32: return .unsigned(UInt64(try reader.readUInt32()))
    case .uint64: return .unsigned(try reader.readUInt64())
    case .int32: return .signed(Int64(try reader.readInt32()))
    case .int64: return .signed(try reader.readInt64())
    case .double: return .unsigned(try reader.readDouble().bitPattern)
    case .timestamp: return .signed(try reader.readTimestamp().microsecondsSinceEpoch)
    case .bool: return .bool(try reader.readBool())
    case .uuid: return .ids([try reader.readUUID()])
    case .string: return .string(try reader.readString())
    case .uuidArray: return .ids(try reader.readUUIDArray())
    case .bytes: return .bytes(try reader.readLengthPrefixedBytes())
    case .optionalUUID: return .optionalID(try reader.readOptional { try $0.readUUID() })
    case .arrayOfUInt32: return .numbers(try reader.readArray(minimumElementSize: 4) { try $0.readUInt32() })
    case .arrayOfStrings: return .strings(try reader.readArray(minimumElementSize: 4) { try $0.readString() })
    case .nested:
        return .nested(try reader.readOptional { outer in
            try outer.readArray(minimumElementSize: 4) { inner in
                try inner.readArray { try $0.readOptional { try $0.readString() } }
            }
        })
    case .bytesArrayMinimumOne: return .strings(try reader.readArray { String(try $0.readUInt8()) })
    case .expectEnd:
        try reader.expectEnd("fuzz")
        return .none
    case .remainingBytes: return .bytes(reader.readRemainingBytes())
    }
}

/// Writes a random value of `op`'s kind, returning what reading it back must give.
private func writeRandom(_ op: ReadOp, _ writer: inout EventPayloadWriter, _ random: inout FuzzRandom) -> ReadValue {
    func text() -> String {
        let pieces = ["a", "Z", " ", "é", "日", "👍🏽", "\u{0}", "\n", "ß€"]
        return (0..<random.int(in: 0...12)).map { _ in random.pick(pieces) }.joined()
    }
    func id() -> UUID {
        let b = random.bytes(16)
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
    switch op {
    case .uint8: let v = random.byte(); writer.write(v); return .unsigned(UInt64(v))
    case .uint16: let v = UInt16(truncatingIfNeeded: random.next()); writer.write(v); return .unsigned(UInt64(v))
    case .uint32: let v = UInt32(truncatingIfNeeded: random.next()); writer.write(v); return .unsigned(UInt64(v))
    case .uint64: let v = random.next(); writer.write(v); return .unsigned(v)
    case .int32: let v = Int32(truncatingIfNeeded: random.next()); writer.write(v); return .signed(Int64(v))
    case .int64: let v = Int64(bitPattern: random.next()); writer.write(v); return .signed(v)
    case .double: let v = Double(bitPattern: random.next()); writer.write(v); return .unsigned(v.bitPattern)
    case .timestamp: let v = Int64(bitPattern: random.next()); writer.write(Timestamp(microsecondsSinceEpoch: v)); return .signed(v)
    case .bool: let v = random.chance(50); writer.write(v); return .bool(v)
    case .uuid: let v = id(); writer.write(v); return .ids([v])
    case .string: let v = text(); writer.write(v); return .string(v)
    case .uuidArray:
        let v = (0..<random.int(in: 0...5)).map { _ in id() }
        writer.writeArray(v) { $0.write($1) }
        return .ids(v)
    case .bytes: let v = random.bytes(random.int(in: 0...24)); writer.writeLengthPrefixed(v); return .bytes(v)
    case .optionalUUID:
        let v = random.chance(50) ? id() : nil
        writer.writeOptional(v) { $0.write($1) }
        return .optionalID(v)
    case .arrayOfUInt32:
        let v = (0..<random.int(in: 0...6)).map { _ in UInt32(truncatingIfNeeded: random.next()) }
        writer.writeArray(v) { $0.write($1) }
        return .numbers(v)
    case .arrayOfStrings:
        let v = (0..<random.int(in: 0...4)).map { _ in text() }
        writer.writeArray(v) { $0.write($1) }
        return .strings(v)
    case .nested:
        let v: [[String?]]? = random.chance(30) ? nil : (0..<random.int(in: 0...3)).map { _ in
            (0..<random.int(in: 0...3)).map { _ in random.chance(50) ? text() : nil }
        }
        writer.writeOptional(v) { writer, outer in
            writer.writeArray(outer) { writer, inner in
                writer.writeArray(inner) { writer, element in writer.writeOptional(element) { $0.write($1) } }
            }
        }
        return .nested(v)
    case .bytesArrayMinimumOne:
        let v = random.bytes(random.int(in: 0...8))
        writer.writeArray(v) { $0.write($1) }
        return .strings(v.map { String($0) })
    case .expectEnd:
        return .none
    case .remainingBytes:
        // Raw bytes as the last field (what a JSON payload is); nothing may follow them.
        let v = random.bytes(random.int(in: 0...16))
        writer.writeRawBytes(v)
        return .bytes(v)
    }
}

/// The exact number of bytes a successful read of `op` consumed, from its value; `nil` when the
/// value does not determine it simply (nested containers are checked by their round trip).
private func consumedBytes(_ op: ReadOp, _ value: ReadValue) -> Int? {
    switch (op, value) {
    case (.uint8, _), (.bool, _): return 1
    case (.uint16, _): return 2
    case (.uint32, _), (.int32, _): return 4
    case (.uint64, _), (.int64, _), (.double, _), (.timestamp, _): return 8
    case (.uuid, _): return 16
    case (.string, .string(let text)): return 4 + text.utf8.count
    case (.uuidArray, .ids(let ids)): return 4 + 16 * ids.count
    case (.bytes, .bytes(let bytes)): return 4 + bytes.count
    case (.optionalUUID, .optionalID(let id)): return id == nil ? 1 : 17
    case (.arrayOfUInt32, .numbers(let numbers)): return 4 + 4 * numbers.count
    case (.arrayOfStrings, .strings(let texts)): return 4 + texts.reduce(0) { $0 + 4 + $1.utf8.count }
    case (.bytesArrayMinimumOne, .strings(let texts)): return 4 + texts.count
    case (.expectEnd, _): return 0
    case (.remainingBytes, .bytes(let bytes)): return bytes.count
    default: return nil
    }
}

/// The peak resident set size of this process so far, in bytes.
private func peakResidentBytes() -> Int {
    var usage = rusage()
    #if os(Linux)
    guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
    return Int(usage.ru_maxrss) * 1024 // kilobytes on Linux
    #else
    guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
    return Int(usage.ru_maxrss) // bytes on Darwin
    #endif
}

// MARK: - Tests

@Suite("Envelope and payload reader fuzzing")
struct EnvelopeFuzzTests {
    /// (a) Random byte strings of 0 to 2,048 bytes. A quarter get a plausible header (version 1,
    /// known flags, a consistent length) so that some validate and reach the accessors.
    @Test func randomBytesNeverCrashTheEnvelopeDecoder() throws {
        let registry = try EventTypeRegistry.samples()
        var tally = EnvelopeTally()
        var fuzz = FuzzRun("envelope-random", salt: 0xE1)
        fuzz.run { random, index, run in
            let length = random.chance(20) ? random.int(in: Layout.minimum - 2...Layout.minimum + 40) : random.int(in: 0...2_048)
            var bytes = random.bytes(length)
            if random.chance(25), bytes.count >= Layout.minimum {
                bytes[0] = 1
                bytes[Layout.flags] &= 7
                storeLE32(UInt32(bytes.count - Layout.minimum), into: &bytes, at: Layout.payloadLength)
            }
            let position = probePosition(bytes, original: random.next(), &random)
            checkEnvelope(bytes, at: position, registry: registry, tally: &tally, index: index, run: &run)
        }
        #expect(tally.validated > 0, "no random case validated: the accessors were never reached")
        fuzz.finish("\(tally.validated) validated, \(tally.rejected) rejected, \(tally.payloadsDecoded) payloads decoded")
    }

    /// (b) Mutations of real records: bit flips, 0x00/0xFF/random overwrites, huge payload
    /// lengths and counts, truncations, extensions, splices; one to four per case.
    @Test func mutatedRecordsNeverCrashTheEnvelopeDecoder() throws {
        let registry = try EventTypeRegistry.samples()
        let records = try storedRecords()
        #expect(records.count >= 10)
        // Unmutated, every record validates at its position and decodes as its own type.
        for record in records {
            try record.bytes.withUnsafeBytes { raw in
                let view = try EventRecord(validating: raw, at: record.position)
                #expect(modelAccepts(record.bytes, at: record.position))
                #expect(throws: Never.self) {
                    try registry.decode(eventType: record.eventType, schemaVersion: view.schemaVersion, payload: view.payload)
                }
            }
        }
        var tally = EnvelopeTally()
        var fuzz = FuzzRun("envelope-mutated", salt: 0xE2)
        fuzz.run { random, index, run in
            let original = random.pick(records)
            var bytes = original.bytes
            for _ in 0..<random.int(in: 1...4) { mutate(&bytes, donors: records, &random) }
            let position = probePosition(bytes, original: original.position, &random)
            checkEnvelope(bytes, at: position, registry: registry, tally: &tally, index: index, run: &run)
        }
        #expect(tally.validated > fuzz.cases / 10, "too few mutated records validated (\(tally.validated))")
        fuzz.finish("\(tally.validated) validated, \(tally.rejected) rejected, \(tally.payloadsDecoded) payloads decoded")
    }

    /// Every read of ``EventPayloadReader`` on random bytes and on written-then-damaged payloads:
    /// an intact payload reads back exactly; a damaged or random one gives values or
    /// ``EventPayloadError``s, never a read past the end.
    @Test func payloadReaderNeverReadsPastTheEnd() {
        // Reading the remaining bytes ends a program (nothing can follow it), so it comes last.
        let ops = ReadOp.allCases.filter { $0 != .remainingBytes }
        var exact = 0
        var thrown = 0
        var fuzz = FuzzRun("payload-reader", salt: 0xE3)
        fuzz.run { random, index, run in
            // A program of reads, and bytes for it: written by the writer (then maybe damaged) or random.
            var program = (0..<random.int(in: 1...8)).map { _ in random.pick(ops) }
            if random.chance(10) { program.append(.remainingBytes) }
            var writer = EventPayloadWriter()
            let written = program.map { writeRandom($0, &writer, &random) }
            var bytes = writer.bytes
            let kind = random.below(3)
            if kind == 1 {
                for _ in 0..<random.int(in: 1...3) {
                    guard !bytes.isEmpty else { break }
                    switch random.below(4) {
                    case 0: bytes[random.below(bytes.count)] = random.pick([0, 0xFF, 0x80, 0xC3, random.byte()])
                    case 1: bytes.removeSubrange(random.int(in: 0...bytes.count)...)
                    case 2:
                        if bytes.count >= 4 {
                            storeLE32(random.pick(hugeLengths + [UInt32(bytes.count)]), into: &bytes, at: random.below(bytes.count - 3))
                        }
                    default: bytes.insert(random.byte(), at: random.below(bytes.count))
                    }
                }
            } else if kind == 2 {
                bytes = random.bytes(random.chance(50) ? random.int(in: 0...16) : random.int(in: 0...256))
            }
            let intact = kind == 0
            let problems: [String] = bytes.withUnsafeBytes { raw -> [String] in
                var problems: [String] = []
                var reader = EventPayloadReader(raw)
                for (step, op) in program.enumerated() {
                    let before = reader.offset
                    do {
                        let value = try perform(op, &reader)
                        if intact, value != written[step] { problems.append("\(op) read \(value), wrote \(written[step])") }
                        if let count = consumedBytes(op, value), reader.offset != before + count {
                            problems.append("\(op) consumed \(reader.offset - before) bytes, its value needs \(count)")
                        }
                        if case .string(let text) = value, Array(text.utf8) != Array(raw[(before + 4)..<(before + 4 + text.utf8.count)]) {
                            problems.append("readString changed the bytes: \(text)")
                        }
                        if op == .uint32, case .unsigned(let v) = value, v != UInt64(le32(raw, before)) {
                            problems.append("readUInt32 gave \(v)")
                        }
                        if op == .uint64, case .unsigned(let v) = value, v != le64(raw, before) {
                            problems.append("readUInt64 gave \(v)")
                        }
                    } catch let error as EventPayloadError {
                        thrown += 1
                        if intact, op != .expectEnd { problems.append("\(op) threw on an intact payload: \(error)") }
                        if error.offset < 0 || error.offset > raw.count { problems.append("error offset \(error.offset) outside 0...\(raw.count)") }
                    } catch {
                        problems.append("\(op) threw \(type(of: error)), not EventPayloadError: \(error)")
                    }
                    if reader.offset < before || reader.offset > raw.count || reader.remaining != raw.count - reader.offset {
                        problems.append("\(op) left the cursor at \(reader.offset) of \(raw.count) (was \(before))")
                    }
                }
                if intact {
                    if !reader.isAtEnd { problems.append("an intact payload left \(reader.remaining) bytes") }
                    exact += 1
                }
                return problems
            }
            for problem in problems { run.fail(index, "\(problem) [program \(program), \(bytes.count) bytes]") }
        }
        fuzz.finish("\(exact) intact payloads read back exactly, \(thrown) reads threw")
    }

    /// Length and count prefixes claiming far more than the bytes left (up to 2^32 - 1): every
    /// length-prefixed read throws at once, and peak memory does not grow (at least 100,000 cases).
    @Test func hugeLengthPrefixesFailWithoutAllocating() {
        var fuzz = FuzzRun("payload-reader-lengths", salt: 0xE4, cases: max(100_000, FuzzSettings.cases))
        let before = peakResidentBytes()
        fuzz.run { random, index, run in
            let skip = random.chance(30) ? random.int(in: 1...8) : 0
            let length = random.chance(50) ? 40 : random.int(in: skip + 4...skip + 64)
            var bytes = random.bytes(length)
            let claim = random.chance(70) ? random.pick(hugeLengths) : UInt32(random.int(in: length + 1...Int(UInt32.max)))
            storeLE32(claim, into: &bytes, at: skip)
            let problems: [String] = bytes.withUnsafeBytes { raw -> [String] in
                var problems: [String] = []
                for which in 0..<7 {
                    var reader = EventPayloadReader(raw)
                    for _ in 0..<skip { _ = try? reader.readUInt8() }
                    do {
                        switch which {
                        case 0: _ = try reader.readUUIDArray()
                        case 1: _ = try reader.readString()
                        case 2: _ = try reader.readLengthPrefixedBytes()
                        case 3: _ = try reader.readArray(minimumElementSize: 16) { try $0.readUUID() }
                        case 4: _ = try reader.readArray { try $0.readUInt8() }
                        case 5: _ = try reader.readArray(minimumElementSize: 4) { try $0.readString() }
                        default: _ = try reader.readArray(minimumElementSize: 0) { _ in () }
                        }
                        problems.append("read \(which) accepted a claim of \(claim) with \(raw.count - skip - 4) bytes left")
                    } catch let error as EventPayloadError {
                        if error.offset != skip && error.offset != skip + 4 {
                            problems.append("read \(which): error at offset \(error.offset), the prefix is at \(skip)")
                        }
                    } catch {
                        problems.append("read \(which) threw \(type(of: error)), not EventPayloadError")
                    }
                }
                return problems
            }
            for problem in problems { run.fail(index, problem) }
        }
        let growth = peakResidentBytes() - before
        #expect(growth < 50 << 20, "peak resident memory grew by \(growth / 1_048_576) MiB over \(fuzz.cases) hostile lengths")
        fuzz.finish("peak RSS growth \(growth / 1024) KiB")
    }

    /// The case the issue names: a 40-byte buffer claiming 2^31 UUIDs fails at once, at the count.
    @Test func fortyBytesClaimingTwoToTheThirtyOneUUIDsFailFast() {
        var bytes = [UInt8](repeating: 0xAB, count: 40)
        storeLE32(1 << 31, into: &bytes, at: 0)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            bytes.withUnsafeBytes { raw in
                var reader = EventPayloadReader(raw)
                let error = #expect(throws: EventPayloadError.self) { try reader.readUUIDArray() }
                #expect(error?.offset == 0)
                #expect(error?.reason.contains("claims 2147483648 elements but only 36 bytes are left") == true, "\(String(describing: error))")
                var generic = EventPayloadReader(raw)
                #expect(throws: EventPayloadError.self) { try generic.readArray(minimumElementSize: 16) { try $0.readUUID() } }
            }
        }
        #expect(elapsed < .seconds(1), "took \(elapsed)")
    }
}
