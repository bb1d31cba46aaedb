import EventLedger
import Foundation

/// A ``HealthCancellationFact`` in a record: at, optional notice in microseconds (Int64).
extension HealthCancellationFact: RecordField {
    static var minimumEncodedSize: Int { 8 + 1 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(at)
        writer.writeOptional(noticeMicros) { $0.write($1) }
    }

    init(decoding reader: inout EventPayloadReader) throws {
        let at = try reader.readTimestamp()
        self.init(at: at, noticeMicros: try reader.readOptional { try $0.readInt64() })
    }
}
