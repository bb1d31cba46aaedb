public import EventLedger

/// One ``MentorshipRecord`` per mentorship stream, folded as the events come: the state the five
/// built-in read models share.
///
/// A MentorshipStarted creates its stream's record (a later one on the same stream replaces it:
/// what came before the newest start no longer counts); every other event goes to its stream's
/// record, and is ignored when the stream has none yet.
///
/// The records are kept in an array with a stream-key index, so that an event changes its record
/// in place (a dictionary's optional subscript moves the record out and copies it back on every
/// event). Equality and hashing see the records by stream key, whatever order they were added in;
/// coding writes each record's binary row.
public struct MentorshipRecords: Sendable {
    /// The records, in the order their streams first started.
    private var records: [MentorshipRecord] = []
    /// The stream key of each record, parallel to ``records``.
    private var streams: [UInt64] = []
    /// Stream key → its record's index.
    private var index: [UInt64: Int] = [:]

    /// No mentorship.
    public init() {}

    /// How many mentorships there are.
    public var count: Int { records.count }

    /// The records, by stream key (``EventRecord/streamKey``).
    public var byStream: [UInt64: MentorshipRecord] {
        Dictionary(uniqueKeysWithValues: zip(streams, records))
    }

    /// The record of the stream `stream`, if a mentorship started on it.
    public subscript(stream stream: UInt64) -> MentorshipRecord? {
        index[stream].map { records[$0] }
    }

    /// Folds one event of the stream `stream`, which occurred at `time` at log position
    /// `position`; its record settles as `settling` says (by default it keeps every fact).
    public mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64,
                               settling: RecordSettling = .never) {
        if case .mentorshipStarted(let start) = event {
            set(MentorshipRecord(start, at: time, position: position), for: stream)
        } else if let slot = index[stream] {
            records[slot].apply(event, at: time, position: position, settling: settling)
        }
    }

    /// Stores `record` as the record of `stream` (replacing the stream's record, if any).
    mutating func set(_ record: MentorshipRecord, for stream: UInt64) {
        if let slot = index[stream] {
            records[slot] = record
        } else {
            index[stream] = records.count
            records.append(record)
            streams.append(stream)
        }
    }

    /// The records with their stream keys, in the order the mentorships started (by
    /// ``MentorshipRecord/startPosition``; ties, possible only when positions were not a log's,
    /// by stream key).
    public var streamsInStartOrder: [(stream: UInt64, record: MentorshipRecord)] {
        records.indices
            .sorted { a, b in
                records[a].startPosition != records[b].startPosition
                    ? records[a].startPosition < records[b].startPosition : streams[a] < streams[b]
            }
            .map { (stream: streams[$0], record: records[$0]) }
    }

    /// The records in the order the mentorships started.
    public var inStartOrder: [MentorshipRecord] { streamsInStartOrder.map(\.record) }

    /// The stream keys, ascending.
    var sortedStreams: [UInt64] { streams.sorted() }
}

extension MentorshipRecords: Hashable {
    /// Whether both hold the same record for every stream.
    public static func == (a: MentorshipRecords, b: MentorshipRecords) -> Bool {
        guard a.count == b.count else { return false }
        for (slot, stream) in a.streams.enumerated() where b[stream: stream] != a.records[slot] { return false }
        return true
    }

    /// Hashes the records by ascending stream key.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for stream in sortedStreams {
            hasher.combine(stream)
            hasher.combine(self[stream: stream])
        }
    }
}
