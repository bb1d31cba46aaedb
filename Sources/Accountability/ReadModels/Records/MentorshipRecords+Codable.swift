import EventLedger
import Foundation

/// ``MentorshipRecords`` coded as a list of entries, by ascending stream key, each the stream
/// key and the record's binary row (``MentorshipRecord/encoded``; base64 in JSON), so that a
/// `Codable` checkpoint (``CheckpointedProjection``) stores the same bytes a keyed row would.
extension MentorshipRecords: Codable {
    /// One stream's record.
    private struct Entry: Codable {
        var stream: UInt64
        var row: Data
    }

    /// Writes every record.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for stream in sortedStreams {
            guard let record = self[stream: stream] else { continue }
            try container.encode(Entry(stream: stream, row: Data(record.encoded)))
        }
    }

    /// Reads the records.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for a row that does not decode or a stream listed
    ///   twice.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var records = MentorshipRecords()
        while !container.isAtEnd {
            let entry = try container.decode(Entry.self)
            let record: MentorshipRecord
            do {
                record = try MentorshipRecord(encoded: [UInt8](entry.row))
            } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "the record of stream \(entry.stream) does not decode: \(error)")
            }
            guard records[stream: entry.stream] == nil else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "stream \(entry.stream) is listed twice")
            }
            records.set(record, for: entry.stream)
        }
        self = records
    }
}
