public import EventLedger
public import Foundation

/// One line of an export (``InterchangeExporter``), read strictly: the readable fields and the
/// canonical bytes they must agree with. ``ExportLineCheck`` proves the agreement.
public struct ExportLine: Sendable {
    /// The position the line shows.
    public var position: UInt64
    /// The stream's name.
    public var stream: String
    /// The revision within the stream.
    public var revision: UInt64
    /// The type's name.
    public var type: String
    /// The payload's schema version.
    public var schemaVersion: UInt16
    /// The event id.
    public var id: UUID
    /// When the source ledger recorded it.
    public var recordedAt: Timestamp
    /// When it happened.
    public var occurredAt: Timestamp
    /// Who caused it.
    public var actor: UUID?
    /// The correlation id.
    public var correlationID: UUID?
    /// The causation id.
    public var causationID: UUID?
    /// The readable payload: a built-in type's fields, or a JSON payload's value.
    public var data: JSONValue?
    /// The payload bytes as the line shows them in hexadecimal (a type with a binary codec of its own).
    public var payloadHex: [UInt8]?
    /// The chain hash of the position before.
    public var previousHash: ChainHash
    /// The chain hash of this record.
    public var chainHash: ChainHash
    /// The canonical bytes (envelope and payload) the chain hash covers.
    public var canonical: [UInt8]
    /// The head seal at this position, when the export carries one.
    public var seal: ExportedSeal?
    /// The line as read, for comparing the text of its ids and times with the exporter's.
    let shown: JSONObject

    /// The members of an export line, in the order the exporter writes them.
    public static let members = [
        "position", "stream", "revision", "type", "schemaVersion", "id", "recordedAt", "occurredAt",
        "actor", "correlationID", "causationID", "data", "payload", "previousHash", "chainHash", "canonical", "seal",
    ]

    /// Whether `object` is an export line (it carries canonical bytes) rather than a plain
    /// interchange line.
    public static func isExportLine(_ object: JSONObject) -> Bool { object["canonical"] != nil }

    /// The line an export writes for `record` (a built-in type), as proved byte for byte by an
    /// import's fast path.
    init(record: EventRecord, stream: String, type: String, previousHash: ChainHash, chainHash: ChainHash) {
        position = record.position
        self.stream = stream
        revision = record.streamRevision
        self.type = type
        schemaVersion = record.schemaVersion
        id = record.id
        recordedAt = record.recordedAt
        occurredAt = record.occurredAt
        actor = record.actor
        correlationID = record.correlationID
        causationID = record.causationID
        data = nil
        payloadHex = nil
        self.previousHash = previousHash
        self.chainHash = chainHash
        canonical = Array(record.canonicalBytes)
        seal = nil
        shown = JSONObject([])
    }

    /// Reads an export line.
    ///
    /// - Throws: ``InterchangeError`` naming the member that is missing, mistyped or unknown.
    public init(_ object: JSONObject) throws(InterchangeError) {
        shown = object
        var fields = InterchangeFields(object, path: "")
        let position = try fields.int("position")
        guard position >= 1 else { throw InterchangeError(field: "position", "is \(position); positions start at 1") }
        self.position = UInt64(position)
        do throws(InterchangeError) {
            stream = try fields.string("stream")
            let revision = try fields.int("revision")
            guard revision >= 0 else { throw InterchangeError(field: "revision", "is \(revision); revisions start at 0") }
            self.revision = UInt64(revision)
            type = try fields.string("type")
            let version = try fields.int("schemaVersion")
            guard let schemaVersion = UInt16(exactly: version), schemaVersion >= 1 else {
                throw InterchangeError(field: "schemaVersion", "is \(version); schema versions are 1 to 65535")
            }
            self.schemaVersion = schemaVersion
            id = try fields.uuid("id")
            recordedAt = try fields.timestamp("recordedAt")
            occurredAt = try fields.timestamp("occurredAt")
            actor = try fields.optionalUUID("actor")
            correlationID = try fields.optionalUUID("correlationID")
            causationID = try fields.optionalUUID("causationID")
            data = fields.value("data")
            if let text = try fields.optionalString("payload") {
                guard let bytes = Self.bytes(hex: text) else { throw InterchangeError(field: "payload", "is not hexadecimal bytes") }
                payloadHex = bytes
            } else {
                payloadHex = nil
            }
            previousHash = try Self.hash(&fields, "previousHash")
            chainHash = try Self.hash(&fields, "chainHash")
            guard let canonical = Self.bytes(hex: try fields.string("canonical")) else {
                throw InterchangeError(field: "canonical", "is not hexadecimal bytes")
            }
            self.canonical = canonical
            switch fields.value("seal") {
            case nil: seal = nil
            case .object(let object)?: seal = try ExportedSeal(object)
            case let other?: throw fields.mistyped("seal", other, "an object")
            }
            try fields.finish("an export line (\(Self.members.joined(separator: ", ")))")
        } catch {
            throw error.at(position: self.position)
        }
    }

    private static func hash(_ fields: inout InterchangeFields, _ key: String) throws(InterchangeError) -> ChainHash {
        let text = try fields.string(key)
        guard text.utf8.count == 64, let hash = ChainHash(hex: text) else {
            throw InterchangeError(field: key, "is not a chain hash (64 hexadecimal digits)")
        }
        return hash
    }

    /// The bytes spelt by hexadecimal digits (either case), or `nil`.
    static func bytes(hex text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { HexText.bytes(UnsafeRawBufferPointer($0)) }
    }
}

/// A head seal as an export carries it, on the line of the position it seals.
public struct ExportedSeal: Sendable, Hashable {
    /// The id of the ledger that was sealed (the MAC covers it).
    public var ledgerID: UUID
    /// When it was sealed.
    public var sealedAt: Timestamp
    /// The HMAC-SHA256.
    public var mac: [UInt8]

    /// A seal of ledger `ledgerID`.
    public init(ledgerID: UUID, sealedAt: Timestamp, mac: [UInt8]) {
        self.ledgerID = ledgerID
        self.sealedAt = sealedAt
        self.mac = mac
    }

    /// Reads the `seal` object of an export line.
    public init(_ object: JSONObject) throws(InterchangeError) {
        var fields = InterchangeFields(object, path: "seal")
        ledgerID = try fields.uuid("ledgerID")
        sealedAt = try fields.timestamp("sealedAt")
        guard let mac = ExportLine.bytes(hex: try fields.string("mac")), mac.count == 32 else {
            throw InterchangeError(field: "seal.mac", "is not 32 bytes in hexadecimal")
        }
        self.mac = mac
        try fields.finish("a seal (ledgerID, sealedAt, mac)")
    }

    /// The seal object written on an export line.
    public var object: JSONObject {
        JSONObject([
            JSONMember(key: "ledgerID", value: .string(UUIDText.lowercase(ledgerID))),
            JSONMember(key: "sealedAt", value: .string(sealedAt.rfc3339)),
            JSONMember(key: "mac", value: .string(Hex.string(mac))),
        ])
    }

    /// The seal of `line`'s position and chain hash.
    public func headSeal(position: UInt64, hash: ChainHash) -> HeadSeal {
        HeadSeal(position: position, hash: hash, sealedAt: sealedAt, mac: mac)
    }
}
