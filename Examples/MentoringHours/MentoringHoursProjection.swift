import Accountability
import EventLedger
import Foundation

/// Mentoring hours per mentor and calendar month (UTC): maps each mentorship stream to its mentor
/// from MentorshipStarted, then sums the minutes of every SessionHeld the mentor attended into the
/// month of the session's occurred-at.
///
/// It reads only those two types: the replay skips every other record by its type tag before
/// decoding anything. It decodes with the built-in codecs through
/// ``AccountabilityEvent/decode(typeIndex:record:)``, mapping its own type indices to the
/// catalogue's.
struct MentoringHoursProjection: Projection {
    let eventTypes = [MentorshipStarted.eventType, SessionHeld.eventType]
    /// For each of ``eventTypes``, its index in ``AccountabilityEvent/typeNames``.
    private let catalogueIndices: [Int]

    var name: String { "examples.mentoring-hours" }
    var initialState: MentoringHoursState { MentoringHoursState() }

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

    func decode(typeIndex: Int, record: EventRecord) throws -> AccountabilityEvent {
        try AccountabilityEvent.decode(typeIndex: catalogueIndices[typeIndex], record: record)
    }

    func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout MentoringHoursState) {
        switch event {
        case .mentorshipStarted(let start):
            state.mentorByStream[record.streamKey] = start.mentor
        case .sessionHeld(let session):
            guard let mentor = state.mentorByStream[record.streamKey] else {
                state.sessionsWithoutStart += 1
                return
            }
            // A session the mentor did not attend is not their mentoring time.
            guard session.attendees.contains(mentor) else {
                state.sessionsWithoutMentor += 1
                return
            }
            state.totals[MentorMonth(mentor: mentor, month: CalendarMonth(record.occurredAt)), default: SessionTotals()]
                .add(minutes: session.minutes)
        default:
            break
        }
    }
}

/// What ``MentoringHoursProjection`` folds.
struct MentoringHoursState: Sendable {
    /// Each mentorship stream's mentor.
    var mentorByStream: [UInt64: UUID] = [:]
    /// Sessions and minutes per mentor and month.
    var totals: [MentorMonth: SessionTotals] = [:]
    /// Held sessions on a stream with no MentorshipStarted before them (not counted).
    var sessionsWithoutStart = 0
    /// Held sessions the mentor did not attend (not counted).
    var sessionsWithoutMentor = 0

    /// The totals sorted by mentor (lowercase id), then month.
    var rows: [(key: MentorMonth, totals: SessionTotals)] {
        totals.sorted { $0.key < $1.key }.map { (key: $0.key, totals: $0.value) }
    }
}

/// One mentor in one calendar month: the key of ``MentoringHoursState/totals``.
struct MentorMonth: Hashable, Comparable, Sendable {
    /// The mentor.
    let mentor: UUID
    /// The month (UTC).
    let month: CalendarMonth

    /// The mentor's id in lowercase, as the CSV prints it.
    var mentorID: String { mentor.uuidString.lowercased() }

    static func < (lhs: MentorMonth, rhs: MentorMonth) -> Bool {
        lhs.mentor != rhs.mentor ? lhs.mentorID < rhs.mentorID : lhs.month < rhs.month
    }
}

/// Held sessions and their minutes.
struct SessionTotals: Sendable, Equatable {
    /// Sessions held.
    private(set) var sessions = 0
    /// Their minutes.
    private(set) var minutes = 0

    /// Hours (minutes / 60).
    var hours: Double { Double(minutes) / 60 }

    /// Counts one session of `minutes`.
    mutating func add(minutes: Int) {
        sessions += 1
        self.minutes += minutes
    }
}
