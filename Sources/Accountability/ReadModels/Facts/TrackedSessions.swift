import EventLedger
import Foundation

/// A session: scheduled, then held, missed or cancelled (or held without being scheduled).
struct TrackedSession: Sendable, Hashable {
    var scheduledFor: Timestamp?
    var heldAt: Timestamp?
    /// Whether the pair's mentor is among the latest SessionHeld's attendees.
    var mentorAttended = false
    /// Whether the pair's mentee is among them.
    var menteeAttended = false
    var missedAt: Timestamp?
    var absentMentor = false
    var absentMentee = false
    var cancelledAt: Timestamp?
    /// Whether the latest SessionCancelled was by the pair's mentor.
    var cancelledByMentor = false
    /// Whether it was by the pair's mentee.
    var cancelledByMentee = false
    /// Log position of the SessionHeld or SessionMissed that resolved it (orders ties).
    var resolvedPosition: UInt64 = 0
}

/// A FeedbackGiven, as the Commitment, Nudges and program-health formulas read it.
typealias TrackedFeedback = FeedbackFact

/// A session resolved as of some time: held or missed, ordered by the occurred-at of the event
/// that resolved it (SessionHeld / SessionMissed), ties by log position.
struct ResolvedSession {
    var session: UUID
    var at: Timestamp
    var position: UInt64
    /// Held (with who attended) or missed (with absent parties).
    var held: Bool
    var mentorAttended: Bool
    var menteeAttended: Bool
    var absentMentor: Bool
    var absentMentee: Bool

    static func precedes(_ a: ResolvedSession, _ b: ResolvedSession) -> Bool {
        a.at != b.at ? a.at < b.at : a.position < b.position
    }
}

/// Sessions and feedback of one mentorship.
struct TrackedSessions: Sendable, Hashable {
    var sessions = IDTable<TrackedSession>()
    var feedback: [TrackedFeedback] = []

    /// Folds one session fact of the pair `pair`: SessionScheduled (scheduling a session id
    /// again replaces it), SessionHeld (also of a session never scheduled); the others are
    /// ignored for an unknown session.
    mutating func record(_ fact: SessionFact, of pair: TrackedPair) {
        let time = fact.at
        switch fact.change {
        case .scheduled(let scheduledFor):
            sessions.assign(TrackedSession(scheduledFor: scheduledFor), to: fact.session)
        case .held(let position, let attendees):
            let mentorAttended = attendees.contains(pair.mentor), menteeAttended = attendees.contains(pair.mentee)
            sessions.update(fact.session, default: { TrackedSession() }) { session in
                session.heldAt = time
                session.mentorAttended = mentorAttended
                session.menteeAttended = menteeAttended
                session.resolvedPosition = position
            }
        case .missed(let position, let absentMentor, let absentMentee):
            sessions.update(fact.session) { session in
                session.missedAt = time
                session.absentMentor = absentMentor
                session.absentMentee = absentMentee
                session.resolvedPosition = position
            }
        case .cancelled(let by):
            sessions.update(fact.session) { session in
                session.cancelledAt = time
                session.cancelledByMentor = by == pair.mentor
                session.cancelledByMentee = by == pair.mentee
            }
        }
    }

    /// Folds a FeedbackGiven.
    mutating func record(_ fact: FeedbackFact) {
        feedback.append(fact)
    }

    /// Sessions held or missed at or before `asOf`, oldest first.
    func resolved(asOf: Timestamp) -> [ResolvedSession] {
        var result: [ResolvedSession] = []
        for (id, s) in sessions {
            if let heldAt = s.heldAt, heldAt <= asOf {
                result.append(ResolvedSession(session: id, at: heldAt, position: s.resolvedPosition, held: true,
                                              mentorAttended: s.mentorAttended, menteeAttended: s.menteeAttended,
                                              absentMentor: false, absentMentee: false))
            } else if let missedAt = s.missedAt, missedAt <= asOf {
                result.append(ResolvedSession(session: id, at: missedAt, position: s.resolvedPosition, held: false,
                                              mentorAttended: false, menteeAttended: false,
                                              absentMentor: s.absentMentor, absentMentee: s.absentMentee))
            }
        }
        result.sort(by: ResolvedSession.precedes)
        return result
    }
}
