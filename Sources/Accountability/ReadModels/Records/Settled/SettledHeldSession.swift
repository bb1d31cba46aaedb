import EventLedger
import Foundation

/// One of the last three settled held sessions: what feedback reciprocity (the last 3 held
/// sessions) and the feedback-missing nudge (the latest held session) still ask about it.
struct SettledHeldSession: Sendable, Hashable {
    var session: UUID
    var key: StreakKey
    /// Settled feedback from the mentor about it.
    var mentorGave = false
    /// Settled feedback from the mentee about it.
    var menteeGave = false
    /// Any session-linked feedback about it (live or settled) was known when it settled, or
    /// settled since.
    var answered = false

    /// As a resolved held session.
    var resolved: ResolvedSession {
        ResolvedSession(session: session, at: key.at, position: key.position, held: true,
                        mentorAttended: false, menteeAttended: false, absentMentor: false, absentMentee: false)
    }
}
