import EventLedger
import Foundation

/// A ``FeedbackFact`` in a record: at, from, optional session, rating (Int64).
extension FeedbackFact: RecordField {
    static var minimumEncodedSize: Int { 8 + 16 + 1 + 8 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(at)
        writer.write(from)
        writer.write(optional: session)
        writer.write(int: rating)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        let at = try reader.readTimestamp()
        let from = try reader.readUUID()
        let session = try reader.readOptionalField(UUID.self)
        self.init(at: at, from: from, session: session, rating: try reader.readInt())
    }
}
