import EventLedger

/// A mentorship's ``ActivityTimes`` in a record: the times, ascending. Times out of order or
/// repeated are an error.
extension ActivityTimes: RecordField {
    static var minimumEncodedSize: Int { 4 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(fields: times)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        let at = reader.offset
        let times = try reader.readFields(Timestamp.self)
        for index in times.indices.dropFirst() where times[index - 1] >= times[index] {
            throw EventPayloadError(offset: at, reason: "activity times are not strictly ascending at \(index)")
        }
        self.init(sorted: times)
    }
}
