// The libFuzzer target for the envelope decoder (issue 7, "Reliability").
//
// Each input is taken as a stored record: `EventRecord(validating:at:)` at the position the bytes
// claim (and at position 1), then, for a record that validates, every accessor is read and checked
// against the bytes, the chain hash is recomputed, and the payload is decoded with every type of a
// sample registry. A broken invariant traps, which libFuzzer reports as a crash with the input.
//
// Built with `-sanitize=fuzzer`, which links libFuzzer (main.swift hands it the command line);
// see run.sh.

import EventLedger
import Foundation

// MARK: - The sample registry (the shapes of Tests/Support/LedgerTestSupport/SampleEvents.swift)

/// A sequence number and a text.
struct SampleEvent: LedgerEvent {
    static let eventType = "Sample"
    var sequence: UInt64
    var text: String

    init(sequence: UInt64, text: String) {
        self.sequence = sequence
        self.text = text
    }

    func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(sequence)
        writer.write(text)
    }

    init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        sequence = try reader.readUInt64()
        text = try reader.readString()
    }
}

/// One signed integer.
struct AmountRecorded: LedgerEvent {
    static let eventType = "AmountRecorded"
    var amount: Int64

    init(amount: Int64) { self.amount = amount }

    func encodePayload(into writer: inout EventPayloadWriter) { writer.write(amount) }

    init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        amount = try reader.readInt64()
    }
}

/// A JSON (`Codable`) payload.
struct NoteAdded: CodableLedgerEvent {
    static let eventType = "NoteAdded"
    var note: String
    var author: UUID?
}

/// Every read of `EventPayloadReader`: ids, arrays with counts, optionals, numbers, bytes.
struct RichEvent: LedgerEvent {
    static let eventType = "Rich"
    static let schemaVersion: UInt16 = 2
    var id: UUID
    var members: [UUID]
    var due: Timestamp?
    var score: Double
    var flag: Bool
    var blob: [UInt8]
    var labels: [String]
    var counts: [UInt32]
    var small: UInt16
    var signed: Int32
    var code: UInt8

    init(id: UUID, members: [UUID], due: Timestamp?, score: Double, flag: Bool, blob: [UInt8], labels: [String]) {
        self.id = id
        self.members = members
        self.due = due
        self.score = score
        self.flag = flag
        self.blob = blob
        self.labels = labels
        self.counts = [1, 2, 3]
        self.small = 7
        self.signed = -7
        self.code = 1
    }

    func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(id)
        writer.writeArray(members) { $0.write($1) }
        writer.writeOptional(due) { $0.write($1) }
        writer.write(score)
        writer.write(flag)
        writer.writeLengthPrefixed(blob)
        writer.writeArray(labels) { $0.write($1) }
        writer.writeArray(counts) { $0.write($1) }
        writer.write(small)
        writer.write(signed)
        writer.write(code)
    }

    init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        id = try reader.readUUID()
        members = try reader.readUUIDArray()
        due = try reader.readOptional { try $0.readTimestamp() }
        score = try reader.readDouble()
        flag = try reader.readBool()
        blob = try reader.readLengthPrefixedBytes()
        labels = try reader.readArray(minimumElementSize: 4) { try $0.readString() }
        counts = try reader.readArray(minimumElementSize: 4) { try $0.readUInt32() }
        small = try reader.readUInt16()
        signed = try reader.readInt32()
        code = schemaVersion >= 2 ? try reader.readUInt8() : 0
    }
}

/// The registry the payloads are decoded with.
let sampleRegistry: EventTypeRegistry = {
    var registry = EventTypeRegistry()
    do {
        try registry.register(SampleEvent.self)
        try registry.register(AmountRecorded.self)
        try registry.register(NoteAdded.self)
        try registry.register(RichEvent.self)
    } catch {
        fatalError("the sample registry does not build: \(error)")
    }
    return registry
}()

let sampleTypes = sampleRegistry.eventTypes

// MARK: - The target

/// Folds what the accessors return, so the optimiser cannot drop the reads.
nonisolated(unsafe) var sink: UInt64 = 0

@inline(__always)
func le32(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
    var value: UInt32 = 0
    for i in 0..<4 { value |= UInt32(bytes[at + i]) << (8 * UInt32(i)) }
    return value
}

@inline(__always)
func le64(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
    var value: UInt64 = 0
    for i in 0..<8 { value |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
    return value
}

func uuidBytesEqual(_ id: UUID, _ bytes: UnsafeRawBufferPointer, _ at: Int) -> Bool {
    withUnsafeBytes(of: id.uuid) { idBytes in (0..<16).allSatisfy { idBytes[$0] == bytes[at + $0] } }
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("envelope invariant broken: \(message())") }
}

/// The model of the validator: a header and a hash at least, version 1, known flags, a payload
/// length matching the size, the position field equal to `position`.
func modelAccepts(_ bytes: UnsafeRawBufferPointer, at position: UInt64) -> Bool {
    guard bytes.count >= 148, bytes[0] == 1, bytes[1] & ~7 == 0 else { return false }
    guard 148 + Int(le32(bytes, 112)) == bytes.count else { return false }
    return le64(bytes, 8) == position
}

func check(_ bytes: UnsafeRawBufferPointer, at position: UInt64) {
    let expected = modelAccepts(bytes, at: position)
    let record: EventRecord
    do throws(LedgerError) {
        record = try EventRecord(validating: bytes, at: position)
    } catch {
        require(!expected, "rejected a well-formed record at \(position): \(error)")
        require(error.code == .corruptRecord && error.position == position, "rejected with \(error.code) at \(String(describing: error.position))")
        return
    }
    require(expected, "accepted \(bytes.count) bytes at \(position) that are not a record")
    let flags = bytes[1]
    require(record.formatVersion == 1, "format version")
    require(record.position == position, "position")
    require(record.schemaVersion == UInt16(bytes[2]) | UInt16(bytes[3]) << 8, "schema version")
    require(record.typeTag == le32(bytes, 4), "type tag")
    require(record.streamKey == le64(bytes, 16), "stream key")
    require(record.streamRevision == le64(bytes, 24), "stream revision")
    require(uuidBytesEqual(record.id, bytes, 32), "id")
    require(record.recordedAt.microsecondsSinceEpoch == Int64(bitPattern: le64(bytes, 48)), "recorded-at")
    require(record.occurredAt.microsecondsSinceEpoch == Int64(bitPattern: le64(bytes, 56)), "occurred-at")
    for (bit, offset, value) in [(UInt8(1), 64, record.actor), (2, 80, record.correlationID), (4, 96, record.causationID)] {
        require((flags & bit != 0) == (value != nil), "optional id at \(offset) with flags \(flags)")
        if let value { require(uuidBytesEqual(value, bytes, offset), "optional id at \(offset)") }
    }
    let payload = record.payload
    let base = Int(bitPattern: bytes.baseAddress)
    let payloadStart = Int(bitPattern: payload.baseAddress)
    require(payload.count == Int(le32(bytes, 112)), "payload count")
    require(payload.count == 0 || (payloadStart == base + 116 && payloadStart + payload.count <= base + bytes.count - 32),
            "payload outside the buffer")
    let canonical = record.canonicalBytes
    require(canonical.count == bytes.count - 32 && Int(bitPattern: canonical.baseAddress) == base, "canonical bytes")
    let hash = record.chainHash.bytes
    require(hash.count == 32 && (0..<32).allSatisfy { hash[$0] == bytes[bytes.count - 32 + $0] }, "chain hash")
    let next = ChainHash.genesis.next(canonicalBytes: canonical)
    sink &+= next.bytes.reduce(0) { $0 &+ UInt64($1) } &+ record.streamKey &+ UInt64(record.typeTag)
    // The payload through every sample codec: a value or an EventPayloadError.
    for eventType in sampleTypes {
        do {
            let event = try sampleRegistry.decode(eventType: eventType, schemaVersion: record.schemaVersion, payload: payload)
            sink &+= UInt64(type(of: event).schemaVersion)
        } catch is EventPayloadError {
            sink &+= 1
        } catch {
            fatalError("decoding as \(eventType) threw \(type(of: error)), not EventPayloadError: \(error)")
        }
    }
}

/// libFuzzer's entry point: one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    if bytes.count >= 16 { check(bytes, at: le64(bytes, 8)) }
    check(bytes, at: 1)
    return 0
}

// MARK: - Seeds

/// Appends sample events to a ledger in a temporary directory and writes each stored record to
/// `directory` as one file.
func writeSeeds(into directory: URL) throws -> Int {
    let fileManager = FileManager.default
    try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
    let scratch = fileManager.temporaryDirectory.appendingPathComponent("envelope-fuzzer-seeds-\(UUID().uuidString)", isDirectory: true)
    defer { try? fileManager.removeItem(at: scratch) }
    let clock = ManualClock(Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000))
    var options = LedgerOptions()
    options.clock = clock
    let ledger = try Ledger(directory: scratch, registry: sampleRegistry, options: options)
    defer { ledger.close() }
    let fixed = UUID(uuid: (1, 2, 3, 4, 5, 6, 0x40, 8, 0x80, 10, 11, 12, 13, 14, 15, 16))
    let events: [ProposedEvent] = [
        try ProposedEvent(SampleEvent(sequence: 1, text: "")),
        try ProposedEvent(SampleEvent(sequence: 2, text: "héllo 日本 👍🏽"), actor: fixed),
        try ProposedEvent(SampleEvent(sequence: .max, text: String(repeating: "x", count: 200)), actor: fixed, correlationID: fixed, causationID: fixed),
        try ProposedEvent(AmountRecorded(amount: -42), correlationID: fixed),
        try ProposedEvent(NoteAdded(note: "a JSON note", author: fixed), causationID: fixed),
        try ProposedEvent(RichEvent(id: fixed, members: [fixed, UUID()], due: Timestamp(microsecondsSinceEpoch: -1), score: -0.5,
                                    flag: true, blob: [0, 1, 2, 0xFF], labels: ["a", "", "é"]), actor: fixed),
        try ProposedEvent(RichEvent(id: UUID(), members: [], due: nil, score: .infinity, flag: false, blob: [], labels: [])),
    ]
    for event in events {
        clock.advance(seconds: 60)
        _ = try ledger.append([event], to: "fuzz/seeds")
    }
    var written = 0
    try ledger.read { reader in
        try reader.forEach(.all()) { record in
            let file = directory.appendingPathComponent("seed-\(record.position)")
            try Data(record.storedBytes).write(to: file)
            written += 1
        }
    }
    return written
}
