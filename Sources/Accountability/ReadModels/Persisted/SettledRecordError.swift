public import EventLedger
public import Foundation

/// A question the persisted read models cannot answer exactly: `asOf` lies before the time from
/// which a mentorship's record, having settled its older facts (``RecordSettling``), answers
/// exactly. Ask a later time, or fold without settling for the past
/// (``AccountabilityReadModels/replay(_:_:settling:)`` with ``RecordSettling/never``; `ledger
/// replay --as-of`).
public struct SettledRecordError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The mentorship.
    public let mentorship: UUID
    /// The time asked.
    public let asOf: Timestamp
    /// The earliest time its record answers exactly.
    public let answersExactlyFrom: Timestamp

    /// Creates the error.
    public init(mentorship: UUID, asOf: Timestamp, answersExactlyFrom: Timestamp) {
        self.mentorship = mentorship
        self.asOf = asOf
        self.answersExactlyFrom = answersExactlyFrom
    }

    public var description: String {
        "mentorship \(mentorship.uuidString.lowercased()): asOf \(asOf) is before \(answersExactlyFrom), from which its persisted record "
            + "answers exactly (older facts are settled into counters); ask a later time, or replay without settling for the past (ledger replay --as-of)"
    }

    /// Throws for the first of `records` that does not answer `asOf` exactly.
    public static func check(_ records: some Sequence<MentorshipRecord>, asOf: Timestamp) throws {
        for record in records {
            if let from = record.answersExactlyFrom, asOf < from {
                throw SettledRecordError(mentorship: record.mentorship, asOf: asOf, answersExactlyFrom: from)
            }
        }
    }
}
