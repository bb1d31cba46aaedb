public import EventLedger

/// One ``MentorshipRecord`` per mentorship stream, folded as the events come: the state the five
/// built-in read models share.
///
/// A MentorshipStarted creates its stream's record (a later one on the same stream replaces it:
/// what came before the newest start no longer counts); every other event goes to its stream's
/// record, and is ignored when the stream has none yet. Equality and hashing see the records by
/// stream key; coding writes each record's binary row.
public struct MentorshipRecords: Sendable, Hashable {
    /// The records, by stream key (``EventRecord/streamKey``).
    public private(set) var byStream: [UInt64: MentorshipRecord] = [:]

    /// No mentorship.
    public init() {}

    /// Records as decoded.
    init(byStream: [UInt64: MentorshipRecord]) { self.byStream = byStream }

    /// How many mentorships there are.
    public var count: Int { byStream.count }

    /// The record of the stream `stream`, if a mentorship started on it.
    public subscript(stream stream: UInt64) -> MentorshipRecord? { byStream[stream] }

    /// Folds one event of the stream `stream`, which occurred at `time` at log position
    /// `position`.
    public mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        if case .mentorshipStarted(let start) = event {
            byStream[stream] = MentorshipRecord(start, at: time, position: position)
        } else {
            byStream[stream]?.apply(event, at: time, position: position)
        }
    }

    /// The records with their stream keys, in the order the mentorships started (by
    /// ``MentorshipRecord/startPosition``; ties, possible only when positions were not a log's,
    /// by stream key).
    public var streamsInStartOrder: [(stream: UInt64, record: MentorshipRecord)] {
        byStream.map { (stream: $0.key, record: $0.value) }.sorted { a, b in
            a.record.startPosition != b.record.startPosition ? a.record.startPosition < b.record.startPosition : a.stream < b.stream
        }
    }

    /// The records in the order the mentorships started.
    public var inStartOrder: [MentorshipRecord] { streamsInStartOrder.map(\.record) }
}
