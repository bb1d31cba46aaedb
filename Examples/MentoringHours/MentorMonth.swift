import Foundation

/// One mentor in one calendar month: what a totals row of ``MentoringHoursProjection`` is kept for.
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
