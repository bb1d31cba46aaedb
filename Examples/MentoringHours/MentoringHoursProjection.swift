import Accountability
import EventLedger
import Foundation

/// Mentoring hours per mentor and calendar month (UTC), kept as rows by key (``HoursKey``) so a
/// ``PersistentProjection`` stores them in the ledger and another process reads one mentor's
/// month without replaying anything.
///
/// A MentorshipStarted stores the stream's mentor (kind 1): a SessionHeld does not name the
/// mentor, so the session's fold reads that row, then adds the session's minutes to the mentor's
/// row for the month of the session's occurred-at (kind 2), when the mentor attended. Held
/// sessions it cannot count are tallied in one row (kind 0).
///
/// It reads only those two types: the fold skips every other record by its type tag before
/// decoding anything. It decodes with the built-in codecs through
/// ``AccountabilityEvent/decode(typeIndex:record:)``, mapping its own type indices to the
/// catalogue's.
struct MentoringHoursProjection: KeyedProjection {
    let eventTypes = [MentorshipStarted.eventType, SessionHeld.eventType]
    /// For each of ``eventTypes``, its index in ``AccountabilityEvent/typeNames``.
    private let catalogueIndices: [Int]

    var name: String { "examples.mentoring-hours" }

    /// Creates the projection.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` if a type it reads is not built in.
    init() throws {
        catalogueIndices = try eventTypes.map { type in
            guard let index = AccountabilityEvent.typeNames.firstIndex(of: type) else {
                throw LedgerError(.invalidRequest, "\(type) is not a built-in event type")
            }
            return index
        }
    }

    /// Decodes a MentorshipStarted or SessionHeld with the built-in codec.
    func decode(typeIndex: Int, record: EventRecord) throws -> AccountabilityEvent {
        try AccountabilityEvent.decode(typeIndex: catalogueIndices[typeIndex], record: record)
    }

    /// Stores a mentorship's mentor, or counts a held session into its mentor's month (or into
    /// the sessions not counted).
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` for a row of the wrong kind under a key;
    ///   ``LedgerError/Code/invalidRequest`` for a session outside the years 0 to 9999.
    func apply(_ event: AccountabilityEvent, record: EventRecord, to rows: inout ProjectionRows<HoursRow>) throws {
        switch event {
        case .mentorshipStarted(let start):
            try rows.set(.mentor(start.mentor), for: HoursKey.mentorship(stream: record.streamKey))
        case .sessionHeld(let session):
            let stream = HoursKey.mentorship(stream: record.streamKey)
            guard let mentor = try rows.row(stream).map({ try $0.mentor(at: stream) }) else {
                try tally(&rows) { $0.withoutStart += 1 }
                return
            }
            // A session the mentor did not attend is not their mentoring time.
            guard session.attendees.contains(mentor) else {
                try tally(&rows) { $0.withoutMentor += 1 }
                return
            }
            let month = CalendarMonth(record.occurredAt)
            guard let key = HoursKey.mentorMonth(mentor, month) else {
                throw LedgerError(.invalidRequest, "a session held in \(month) is outside the years 0 to 9999 a row key holds",
                                  position: record.position)
            }
            try rows.update(key, default: .totals(SessionTotals())) { row in
                var totals = try row.totals(at: key)
                totals.add(minutes: session.minutes)
                row = .totals(totals)
            }
        default:
            break
        }
    }

    /// Changes the tallies of the sessions not counted.
    private func tally(_ rows: inout ProjectionRows<HoursRow>, _ change: (inout UncountedSessions) -> Void) throws {
        try rows.update(HoursKey.uncounted, default: .uncounted(UncountedSessions())) { row in
            var uncounted = try row.uncounted(at: HoursKey.uncounted)
            change(&uncounted)
            row = .uncounted(uncounted)
        }
    }
}
