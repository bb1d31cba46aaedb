import EventLedger
import Foundation

/// An ``IDTable`` in a record: a 32-bit count, then per entry in insertion order its id
/// (16 bytes) and its value. A repeated id is an error (a table holds each id once).
extension IDTable: RecordField where Value: RecordField {
    static var minimumEncodedSize: Int { 4 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(UInt32(truncatingIfNeeded: count))
        for (id, value) in self {
            writer.write(id)
            value.encode(into: &writer)
        }
    }

    init(decoding reader: inout EventPayloadReader) throws {
        let at = reader.offset
        let count = Int(try reader.readUInt32())
        guard count <= reader.remaining / (16 + Value.minimumEncodedSize) else {
            throw EventPayloadError(offset: at, reason: "a table claims \(count) entries but only \(reader.remaining) bytes are left")
        }
        self.init()
        for _ in 0..<count {
            let entryAt = reader.offset
            let id = try reader.readUUID()
            let value = try Value(decoding: &reader)
            guard slot(of: id) == nil else {
                throw EventPayloadError(offset: entryAt, reason: "a table holds the id \(id) twice")
            }
            assign(value, to: id)
        }
    }
}
