public import EventLedger
import Foundation

/// Proves that an export line's readable fields are exactly what its canonical bytes encode.
///
/// The checks, in order, each failing with an ``InterchangeError`` that names the field:
/// 1. `chainHash` is SHA-256 of `previousHash` and the canonical bytes;
/// 2. the canonical bytes are an envelope (``EnvelopeLayout``) whose position, revision, schema
///    version, id, recorded-at, occurred-at, actor, correlation and causation ids are the line's;
/// 3. the payload: for a built-in type, it decodes with the line's schema version into exactly
///    the event the line's `data` describes (the first differing member is named, such as
///    `data.minutes` or `data.metric.target`; for `MentorshipStarted` the mentorship id it holds
///    must be the line's stream); for a JSON payload, its value equals `data`; for a binary payload
///    of a user's type, its bytes equal `payload` (proved bytes, unproved meaning).
///
/// Type and stream names are not in the envelope, only their tag and key in the source ledger;
/// ``ExportBindings`` holds every line of a file to one name per tag and key.
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

    /// What one line's canonical bytes say beyond its readable fields.
    public struct Result: Sendable {
        /// The type's tag in the source ledger.
        public var typeTag: UInt32
        /// The stream's key in the source ledger.
        public var streamKey: UInt64
        /// How much of the payload was proved.
        public var proof: PayloadProof
    }

    /// Checks `line`; `command` is the line read as a command (``InterchangeLine``), required for
    /// the built-in types.
    public static func check(_ line: ExportLine, command: MentorshipCommand?) throws(InterchangeError) -> Result {
        do {
            return try run(line, command: command)
        } catch {
            throw error.at(position: line.position)
        }
    }

    private static func run(_ line: ExportLine, command: MentorshipCommand?) throws(InterchangeError) -> Result {
        let hash = line.previousHash.next(canonicalBytes: line.canonical)
        guard hash == line.chainHash else {
            throw InterchangeError(field: "chainHash", "is \(line.chainHash.hex), but SHA-256 of previousHash and the canonical bytes is \(hash.hex)")
        }
        var stored = line.canonical
        stored.append(contentsOf: line.chainHash.bytes)
        let outcome: Swift.Result<Result, InterchangeError> = stored.withUnsafeBytes { bytes in
            do throws(InterchangeError) {
                return .success(try compare(line, command: command, bytes))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private static func compare(_ line: ExportLine, command: MentorshipCommand?, _ bytes: UnsafeRawBufferPointer) throws(InterchangeError) -> Result {
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
        try same("revision", record.streamRevision, line.revision)
        try same("schemaVersion", record.schemaVersion, line.schemaVersion)
        try same("id", record.id, line.id)
        try same("recordedAt", record.recordedAt, line.recordedAt)
        try same("occurredAt", record.occurredAt, line.occurredAt)
        try same("actor", record.actor, line.actor)
        try same("correlationID", record.correlationID, line.correlationID)
        try same("causationID", record.causationID, line.causationID)
        let proof = try checkPayload(record, line, command)
        return Result(typeTag: record.typeTag, streamKey: record.streamKey, proof: proof)
    }

    private static func checkPayload(_ record: EventRecord, _ line: ExportLine, _ command: MentorshipCommand?) throws(InterchangeError) -> PayloadProof {
        let decoded: AccountabilityEvent?
        do {
            decoded = try AccountabilityEvent.decode(eventType: line.type, schemaVersion: record.schemaVersion, payload: record.payload)
        } catch {
            throw InterchangeError(field: "payload", "the canonical payload does not decode as \(line.type) schema version \(record.schemaVersion): \(error)")
        }
        if let decoded {
            guard line.payloadHex == nil else {
                throw InterchangeError(field: "payload", "a \(line.type) line shows its fields in data, not payload bytes")
            }
            guard let command else {
                throw InterchangeError(field: "data", "a \(line.type) line needs its fields in data")
            }
            if decoded != command.event {
                let field = difference(InterchangeDataEncoder.encode(decoded), line.data, path: "data")
                    ?? (line.type == MentorshipStarted.eventType ? "stream" : "type")
                let says = describe(InterchangeDataEncoder.encode(decoded), field: field, command: command, decoded: decoded)
                throw InterchangeError(field: field, "the canonical bytes say \(says); the line says otherwise")
            }
            return .fields
        }
        if let data = line.data {
            guard line.payloadHex == nil else { throw InterchangeError(field: "payload", "a line shows either data or payload, not both") }
            let value: JSONValue
            do {
                value = try JSONParser.parse(record.payload)
            } catch {
                throw InterchangeError(field: "data", "the canonical payload of \(line.type) is not JSON (\(error)), so it cannot be shown as data")
            }
            guard sameValue(value, data) else {
                var field = "data"
                if case .object(let expected) = value, case .object = data {
                    field = difference(expected, data, path: "data") ?? "data"
                }
                throw InterchangeError(field: field, "the canonical payload's JSON differs from the line's data")
            }
            return .json
        }
        guard let hex = line.payloadHex else {
            throw InterchangeError(field: "data", "is missing; an export line shows data or payload")
        }
        guard record.payload.elementsEqual(hex) else {
            throw InterchangeError(field: "payload", "differs from the canonical payload bytes")
        }
        return .bytesOnly
    }

    private static func same<T: Equatable>(_ field: String, _ stored: T, _ shown: T) throws(InterchangeError) {
        guard stored == shown else {
            throw InterchangeError(field: field, "the canonical bytes say \(text(stored)); the line says \(text(shown))")
        }
    }

    private static func text<T>(_ value: T) -> String {
        switch value {
        case let id as UUID: id.uuidString.lowercased()
        case let time as Timestamp: time.rfc3339
        case let optional as UUID?: optional.map { $0.uuidString.lowercased() } ?? "none"
        default: "\(value)"
        }
    }

    private static func describe(_ expected: JSONObject, field: String, command: MentorshipCommand, decoded: AccountabilityEvent) -> String {
        if field == "stream", case .mentorshipStarted(let started) = decoded {
            return "mentorship \(started.mentorship.uuidString.lowercased())"
        }
        var value: JSONValue? = .object(expected)
        for part in field.split(separator: ".").dropFirst() {
            guard case .object(let object)? = value else { break }
            value = object[String(part)]
        }
        return value.map { $0.serialized } ?? "no \(field)"
    }

    /// The path of the first member in which `shown` differs from `expected`, or `nil`.
    static func difference(_ expected: JSONObject, _ shown: JSONValue?, path: String) -> String? {
        guard case .object(let object)? = shown else { return path }
        for member in expected.members {
            let name = "\(path).\(member.key)"
            guard let value = object[member.key] else { return name }
            if sameValue(member.value, value) { continue }
            if case .object(let nested) = member.value { return difference(nested, value, path: name) ?? name }
            return name
        }
        for key in object.keys where expected[key] == nil { return "\(path).\(key)" }
        return nil
    }

    /// JSON values compared as values: numbers by their value, ids and times by what they name.
    static func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x.text == y.text || (x.double != nil && x.double == y.double)
        case (.string(let x), .string(let y)):
            if x == y { return true }
            if let u = UUID(uuidString: x), let v = UUID(uuidString: y) { return u == v }
            if let s = try? Timestamp(rfc3339: x), let t = try? Timestamp(rfc3339: y) { return s == t }
            return false
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

    /// Binds `line`'s type and stream to the tag and key its canonical bytes hold.
    ///
    /// - Throws: ``InterchangeError`` (field `type` or `stream`) naming the earlier line it contradicts.
    public mutating func bind(_ line: ExportLine, _ result: ExportLineCheck.Result, lineNumber: Int) throws(InterchangeError) {
        func contradiction(_ field: String, _ reason: String) -> InterchangeError {
            InterchangeError(field: field, reason).at(position: line.position)
        }
        if let known = typeByTag[result.typeTag], known.name != line.type {
            throw contradiction("type", "type tag \(result.typeTag) is \(known.name) on line \(known.line); this line says \(line.type)")
        }
        if let known = tagByType[line.type], known.tag != result.typeTag {
            throw contradiction("type", "\(line.type) has type tag \(known.tag) on line \(known.line); this line's bytes hold tag \(result.typeTag)")
        }
        if let known = streamByKey[result.streamKey], known.name != line.stream {
            throw contradiction("stream", "stream key \(result.streamKey) is '\(known.name)' on line \(known.line); this line says '\(line.stream)'")
        }
        if let known = keyByStream[line.stream], known.key != result.streamKey {
            throw contradiction("stream", "'\(line.stream)' has stream key \(known.key) on line \(known.line); this line's bytes hold key \(result.streamKey)")
        }
        if typeByTag[result.typeTag] == nil {
            typeByTag[result.typeTag] = (line.type, lineNumber)
            tagByType[line.type] = (result.typeTag, lineNumber)
        }
        if streamByKey[result.streamKey] == nil {
            streamByKey[result.streamKey] = (line.stream, lineNumber)
            keyByStream[line.stream] = (result.streamKey, lineNumber)
        }
    }
}
