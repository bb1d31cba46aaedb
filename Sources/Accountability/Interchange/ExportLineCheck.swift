public import EventLedger
import Foundation

/// Proves that an export line's readable fields are exactly what its canonical bytes encode.
///
/// The checks, in order, each failing with an ``InterchangeError`` that names the field:
/// 1. `chainHash` is SHA-256 of `previousHash` and the canonical bytes;
/// 2. the canonical bytes are an envelope (``EnvelopeLayout``) whose position, revision, schema
///    version, id, recorded-at, occurred-at, actor, correlation and causation ids are the line's
///    (an id the flags mark absent is absent from the line and 16 zero bytes in the envelope);
/// 3. the type and stream names: the envelope holds only their tag and key in the source ledger,
///    so ``ExportBindings`` holds every line of the file to one name per tag and key, a built-in
///    type's stream is `mentorship/<lowercase id>`, and a `MentorshipStarted` line's stream is
///    the mentorship its payload starts;
/// 4. the payload: a built-in type's decodes with the line's schema version (or the line's type
///    is not the one its bytes hold), and `data` is exactly the decoded event's interchange data,
///    member for member (the first differing member is named, such as `data.minutes` or
///    `data.metric.target`); a JSON payload's value is exactly `data`; a binary payload of a
///    user's type is exactly the bytes `payload` shows (proved bytes, unproved meaning).
///
/// Values compare exactly: strings (ids, times, texts) as the exporter writes them, integers only
/// as integers, other numbers by value (`-0.0` is not `0.0`), objects by their set of members
/// (an optional the bytes do not hold is absent, not `null`).
public enum ExportLineCheck {
    /// How much of a line's payload was proved.
    public enum PayloadProof: Sendable, Hashable {
        /// Every field of a built-in type's `data`.
        case fields
        /// The value of a JSON payload (a ``CodableLedgerEvent``).
        case json
        /// The payload's bytes only: a type with a binary codec of its own, whose fields this
        /// library cannot read. Chained, but its meaning is unverifiable.
        case bytesOnly
    }

    /// What a checked line proved.
    public struct Proof: Sendable {
        /// How much of the payload was proved.
        public var payload: PayloadProof
        /// The built-in event its bytes hold (and its `data` shows), or `nil` for a user's type.
        public var event: AccountabilityEvent?
    }

    /// Checks `line`, line `lineNumber` of its file, against its canonical bytes and the lines of
    /// the same file before it (`bindings`).
    ///
    /// - Returns: how much of the payload was proved, and the built-in event it holds.
    /// - Throws: ``InterchangeError`` naming the field (and the line's position).
    public static func check(_ line: ExportLine, lineNumber: Int, bindings: inout ExportBindings) throws(InterchangeError) -> Proof {
        do {
            return try run(line, lineNumber: lineNumber, bindings: &bindings)
        } catch {
            throw error.at(position: line.position)
        }
    }

    private static func run(_ line: ExportLine, lineNumber: Int, bindings: inout ExportBindings) throws(InterchangeError) -> Proof {
        let hash = line.previousHash.next(canonicalBytes: line.canonical)
        guard hash == line.chainHash else {
            throw InterchangeError(field: "chainHash", "is \(line.chainHash.hex), but SHA-256 of previousHash and the canonical bytes is \(hash.hex)")
        }
        var stored = line.canonical
        stored.append(contentsOf: line.chainHash.bytes)
        let outcome: Swift.Result<Proof, InterchangeError> = stored.withUnsafeBytes { bytes in
            do throws(InterchangeError) {
                let record = try envelope(line, bytes)
                try bindings.bind(line, typeTag: record.typeTag, streamKey: record.streamKey, lineNumber: lineNumber)
                return .success(try payload(record, line))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Step 2: the envelope's fields against the line's.
    private static func envelope(_ line: ExportLine, _ bytes: UnsafeRawBufferPointer) throws(InterchangeError) -> EventRecord {
        guard bytes.count >= EnvelopeLayout.headerSize + EnvelopeLayout.hashSize else {
            throw InterchangeError(field: "canonical", "holds \(bytes.count - EnvelopeLayout.hashSize) bytes, fewer than the \(EnvelopeLayout.headerSize)-byte envelope")
        }
        let stored = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        try same("position", stored, line.position)
        let record: EventRecord
        do {
            record = try EventRecord(validating: bytes, at: line.position)
        } catch {
            throw InterchangeError(field: "canonical", "is not a record: \(error.message)")
        }
        guard record.absentIDsAreZero else {
            throw InterchangeError(field: "canonical", "an id the envelope's flags mark absent (actor, correlation or causation) is not 16 zero bytes: these bytes were not written by this library")
        }
        try same("revision", record.streamRevision, line.revision)
        try same("schemaVersion", record.schemaVersion, line.schemaVersion)
        try same("id", record.id, line.id)
        try same("recordedAt", record.recordedAt, line.recordedAt)
        try same("occurredAt", record.occurredAt, line.occurredAt)
        try same("actor", record.actor, line.actor)
        try same("correlationID", record.correlationID, line.correlationID)
        try same("causationID", record.causationID, line.causationID)
        // The same values, written exactly as the exporter writes them.
        let texts: [(String, String?)] = [
            ("id", UUIDText.lowercase(record.id)), ("recordedAt", record.recordedAt.rfc3339),
            ("occurredAt", record.occurredAt.rfc3339), ("actor", record.actor.map(UUIDText.lowercase)),
            ("correlationID", record.correlationID.map(UUIDText.lowercase)),
            ("causationID", record.causationID.map(UUIDText.lowercase)),
        ]
        for case (let field, let text?) in texts where line.shown[field] != .string(text) {
            throw InterchangeError(field: field, "the canonical bytes say \(text); the line writes \(describe(line.shown[field], field: field)), which is not how an export writes it")
        }
        return record
    }

    /// Step 4 (and the stream of a built-in type, step 3): the payload against `data` or `payload`.
    private static func payload(_ record: EventRecord, _ line: ExportLine) throws(InterchangeError) -> Proof {
        if AccountabilityEvent.typeNames.contains(line.type) {
            try builtInStream(line)
            let decoded: AccountabilityEvent?
            do {
                decoded = try AccountabilityEvent.decode(eventType: line.type, schemaVersion: record.schemaVersion, payload: record.payload)
            } catch {
                throw InterchangeError(field: "type", "is \(line.type), but the canonical payload does not decode as \(line.type) schema version \(record.schemaVersion) (\(error))")
            }
            guard let decoded else {
                throw InterchangeError(field: "type", "\(line.type) is not a type this library decodes")
            }
            try startedStream(decoded, line)
            guard line.payloadHex == nil else {
                throw InterchangeError(field: "payload", "a \(line.type) line shows its fields in data, not payload bytes")
            }
            let expected = InterchangeDataEncoder.encode(decoded)
            let shown: JSONObject? = if case .object(let object)? = line.data { object } else { nil }
            if let field = difference(expected, shown, path: "data") {
                throw InterchangeError(field: field, "the canonical bytes say \(describe(expected, field: field)); the line says \(describe(line.data, field: field))")
            }
            return Proof(payload: .fields, event: decoded)
        }
        if let data = line.data {
            guard line.payloadHex == nil else { throw InterchangeError(field: "payload", "a line shows either data or payload, not both") }
            let value: JSONValue
            do {
                value = try JSONParser.parse(record.payload)
            } catch {
                throw InterchangeError(field: "data", "the canonical payload of \(line.type) is not JSON (\(error)), so it cannot be shown as data")
            }
            if !sameValue(value, data) {
                var field = "data"
                if case .object(let expected) = value, case .object(let shown) = data {
                    field = difference(expected, shown, path: "data") ?? "data"
                }
                throw InterchangeError(field: field, "the canonical payload's JSON says \(describe(value, field: field)); the line says \(describe(data, field: field))")
            }
            return Proof(payload: .json, event: nil)
        }
        guard let hex = line.payloadHex else {
            throw InterchangeError(field: "data", "is missing; an export line shows data or payload")
        }
        guard record.payload.elementsEqual(hex) else {
            throw InterchangeError(field: "payload", "differs from the canonical payload bytes")
        }
        return Proof(payload: .bytesOnly, event: nil)
    }

    /// A built-in type's stream is `mentorship/<lowercase id>`.
    static func builtInStream(_ line: ExportLine) throws(InterchangeError) {
        guard let mentorship = MentorshipStream.mentorship(inStream: line.stream), MentorshipStream.name(of: mentorship) == line.stream else {
            throw InterchangeError(field: "stream", "is '\(line.stream)'; a \(line.type) belongs on a stream mentorship/<lowercase id>")
        }
    }

    /// A `MentorshipStarted` line's stream is the mentorship its bytes start.
    static func startedStream(_ event: AccountabilityEvent, _ line: ExportLine) throws(InterchangeError) {
        if case .mentorshipStarted(let started) = event, line.stream != MentorshipStream.name(of: started.mentorship) {
            throw InterchangeError(field: "stream", "the canonical bytes start mentorship \(UUIDText.lowercase(started.mentorship)), whose stream is \(MentorshipStream.name(of: started.mentorship)); the line says \(line.stream)")
        }
    }

    /// Proves an NDJSON export line from its bytes alone when they are exactly what the exporter
    /// writes for its canonical bytes, its names and `previous` (the line before's chain hash):
    /// then every readable field is what the bytes encode, with no JSON parsing at all. Returns
    /// `nil` whenever that is not so — the line is then read and checked member by member, which
    /// names the field at fault — and for anything but a built-in type.
    ///
    /// The bindings and stream rules are left to the caller (``ExportBindings``,
    /// ``builtInStream(_:)``, ``startedStream(_:_:)``).
    static func exactLine(_ raw: UnsafeRawBufferPointer, previous: ChainHash, position expected: UInt64) -> (line: ExportLine, event: AccountabilityEvent, record: (tag: UInt32, key: UInt64))? {
        // {"position":N,"stream":"S","revision":R,"type":"T",…,"canonical":"HEX"}
        guard let stream = quoted(raw, after: #","stream":""#), let type = quoted(raw, after: #","type":""#),
              AccountabilityEvent.typeNames.contains(type),
              let (canonical, hexStart) = canonicalHex(raw) else { return nil }
        let hash = previous.next(canonicalBytes: canonical)
        var stored = canonical
        stored.append(contentsOf: hash.bytes)
        return stored.withUnsafeBytes { bytes in
            guard bytes.count >= EnvelopeLayout.headerSize + EnvelopeLayout.hashSize,
                  let record = try? EventRecord(validating: bytes, at: expected), record.absentIDsAreZero,
                  let event = try? AccountabilityEvent.decode(eventType: type, schemaVersion: record.schemaVersion, payload: record.payload)
            else { return nil }
            // The line up to its last member, rendered; that member, `"canonical":"HEX"}`, is the
            // lowercase hex of these very bytes (read strictly above), so it is not rendered again.
            let object = InterchangeExporter.line(record, stream: stream, type: type, shown: ("data", .object(InterchangeDataEncoder.encode(event))),
                                                  previous: previous, hash: hash, withCanonical: false)
            var text = JSONValue.object(object).serialized
            let same = text.withUTF8 { written -> Bool in
                let prefix = written.count - 1
                guard prefix > 0, hexStart == prefix + canonicalMarker.count, let a = written.baseAddress, let b = raw.baseAddress else { return false }
                return memcmp(a, b, prefix) == 0
            }
            guard same else { return nil }
            let line = ExportLine(record: record, stream: stream, type: type, previousHash: previous, chainHash: hash)
            return (line, event, (record.typeTag, record.streamKey))
        }
    }

    /// The text of the string member that `marker` (`,"stream":"`) opens, when it has no escapes.
    private static func quoted(_ raw: UnsafeRawBufferPointer, after marker: StaticString) -> String? {
        let pattern = UnsafeRawBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        guard raw.count > pattern.count, let first = pattern.first else { return nil }
        var at = 0
        // The member sits in the first few hundred bytes: its key is found quickly.
        while at + pattern.count <= min(raw.count, 512) {
            if raw[at] == first, raw[at..<at + pattern.count].elementsEqual(pattern) {
                let start = at + pattern.count
                var end = start
                while end < raw.count, raw[end] != UInt8(ascii: "\""), raw[end] != UInt8(ascii: "\\") { end += 1 }
                guard end < raw.count, raw[end] == UInt8(ascii: "\"") else { return nil }
                return String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: UTF8.self)
            }
            at += 1
        }
        return nil
    }

    private static let canonicalMarker = Array(#","canonical":""#.utf8)

    /// The bytes of the last member, `"canonical":"HEX"`, when the line ends with it and HEX is
    /// lowercase (as the exporter writes it), and where HEX starts.
    private static func canonicalHex(_ raw: UnsafeRawBufferPointer) -> (bytes: [UInt8], start: Int)? {
        let marker = canonicalMarker
        guard raw.count > marker.count + 2, raw[raw.count - 1] == UInt8(ascii: "}"), raw[raw.count - 2] == UInt8(ascii: "\"") else { return nil }
        var start = raw.count - 2
        while start > 0, raw[start - 1] != UInt8(ascii: "\"") { start -= 1 }
        guard start >= marker.count, raw[(start - marker.count)..<start].elementsEqual(marker),
              let bytes = HexText.bytes(UnsafeRawBufferPointer(rebasing: raw[start..<raw.count - 2]), lowercaseOnly: true) else { return nil }
        return (bytes, start)
    }

    private static func same<T: Equatable>(_ field: String, _ stored: T, _ shown: T) throws(InterchangeError) {
        guard stored == shown else {
            throw InterchangeError(field: field, "the canonical bytes say \(text(stored)); the line says \(text(shown))")
        }
    }

    private static func text<T>(_ value: T) -> String {
        switch value {
        case let id as UUID: UUIDText.lowercase(id)
        case let time as Timestamp: time.rfc3339
        case let optional as UUID?: optional.map { UUIDText.lowercase($0) } ?? "none"
        default: "\(value)"
        }
    }

    /// The member at `field` (`data.metric.target`) of `value`, as JSON text, or "nothing".
    private static func describe(_ value: JSONObject?, field: String) -> String {
        describe(value.map { .object($0) }, field: field)
    }

    private static func describe(_ value: JSONValue?, field: String) -> String {
        var value = value
        for part in field.split(separator: ".").dropFirst() {
            guard case .object(let object)? = value else { break }
            value = object[String(part)]
        }
        guard let value else { return "nothing" }
        let text = value.serialized
        return text.utf8.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// The path of the first member in which `shown` differs from `expected`, or `nil`.
    static func difference(_ expected: JSONObject, _ shown: JSONObject?, path: String) -> String? {
        guard let object = shown else { return path }
        for member in expected.members {
            let name = "\(path).\(member.key)"
            guard let value = object[member.key] else { return name }
            if sameValue(member.value, value) { continue }
            if case .object(let nested) = member.value, case .object(let inner) = value {
                return difference(nested, inner, path: name) ?? name
            }
            return name
        }
        for key in object.keys where expected[key] == nil { return "\(path).\(key)" }
        return nil
    }

    /// Whether `shown` is exactly `expected`: strings and booleans exactly, an integer only as an
    /// integer literal of the same value, another number by value (the sign of a zero too),
    /// arrays element by element, objects by the same members.
    static func sameValue(_ expected: JSONValue, _ shown: JSONValue) -> Bool {
        switch (expected, shown) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)):
            if x.isInteger {
                guard y.isInteger else { return false }
                if let a = x.int64, let b = y.int64 { return a == b }
                return x.text == y.text
            }
            guard let a = x.double, let b = y.double, a == b else { return false }
            return a != 0 || a.sign == b.sign
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.members.allSatisfy { member in y[member.key].map { sameValue(member.value, $0) } ?? false }
        default: return false
        }
    }
}

/// Holds the lines of one export to one type name per type tag and one stream name per stream
/// key, and back: the envelope stores only the tag and the key, so a renamed type or stream on one
/// line contradicts the other lines of the same tag or key.
public struct ExportBindings: Sendable {
    private var typeByTag: [UInt32: (name: String, line: Int)] = [:]
    private var tagByType: [String: (tag: UInt32, line: Int)] = [:]
    private var streamByKey: [UInt64: (name: String, line: Int)] = [:]
    private var keyByStream: [String: (key: UInt64, line: Int)] = [:]

    /// No bindings yet.
    public init() {}

    /// Binds `line`'s type and stream to the tag and key its canonical bytes hold
    /// (``EventRecord/typeTag``, ``EventRecord/streamKey``).
    ///
    /// - Throws: ``InterchangeError`` (field `type` or `stream`) naming the earlier line it contradicts.
    public mutating func bind(_ line: ExportLine, typeTag: UInt32, streamKey: UInt64, lineNumber: Int) throws(InterchangeError) {
        func contradiction(_ field: String, _ reason: String) -> InterchangeError {
            InterchangeError(field: field, reason).at(position: line.position)
        }
        // The maps are kept one-to-one, so a tag already bound to this name needs no lookup by
        // name (the common case: one cheap integer lookup per line for each).
        if let known = typeByTag[typeTag] {
            guard known.name == line.type else {
                throw contradiction("type", "type tag \(typeTag) is \(known.name) on line \(known.line); this line says \(line.type)")
            }
        } else {
            if let known = tagByType[line.type] {
                throw contradiction("type", "\(line.type) has type tag \(known.tag) on line \(known.line); this line's bytes hold tag \(typeTag)")
            }
            typeByTag[typeTag] = (line.type, lineNumber)
            tagByType[line.type] = (typeTag, lineNumber)
        }
        if let known = streamByKey[streamKey] {
            guard known.name == line.stream else {
                throw contradiction("stream", "stream key \(streamKey) is '\(known.name)' on line \(known.line); this line says '\(line.stream)'")
            }
        } else {
            if let known = keyByStream[line.stream] {
                throw contradiction("stream", "'\(line.stream)' has stream key \(known.key) on line \(known.line); this line's bytes hold key \(streamKey)")
            }
            streamByKey[streamKey] = (line.stream, lineNumber)
            keyByStream[line.stream] = (streamKey, lineNumber)
        }
    }
}
