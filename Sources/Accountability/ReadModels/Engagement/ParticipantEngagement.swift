public import EventLedger
public import Foundation

/// The engagement of one person across all their mentorships (as mentor or mentee) as of a time.
///
/// A person's sessions are the held sessions of their mentorships that **they attended** (they
/// are among the SessionHeld attendees); windows and days are as in ``MentorshipEngagement``.
public struct ParticipantEngagement: Sendable, Hashable, Codable {
    /// The person.
    public var participant: UUID
    /// Their mentorships started by asOf, sorted by `uuidString`.
    public var mentorships: [UUID]
    /// How many of them they mentor.
    public var mentorshipsAsMentor: Int
    /// How many of them they are mentored in.
    public var mentorshipsAsMentee: Int
    /// How many are active (not paused, not ended) at asOf.
    public var activeMentorships: Int
    /// How many are activated (≥ 3 sessions held).
    public var activatedMentorships: Int
    /// Held sessions they attended.
    public var sessionsAttended: Int
    /// Their minutes.
    public var minutesAttended: Int
    /// Attended sessions in the last 30 days (asOf − 30 d < heldAt ≤ asOf).
    public var sessionsLast30Days: Int
    /// Their minutes.
    public var minutesLast30Days: Int
    /// Attended sessions in the last 90 days.
    public var sessionsLast90Days: Int
    /// Their minutes.
    public var minutesLast90Days: Int
    /// The latest attended session; `nil` if none.
    public var lastSessionAt: Timestamp?
    /// Calendar days from ``lastSessionAt`` to asOf (fractional); `nil` if none.
    public var daysSinceLastSession: Double?
    /// Mean of the engagement scores of all their mentorships (ended ones included, with the
    /// score frozen at their end), summed in ``mentorships`` order.
    public var averageEngagementScore: Double

    init(participant: UUID) {
        self.participant = participant
        mentorships = []
        mentorshipsAsMentor = 0
        mentorshipsAsMentee = 0
        activeMentorships = 0
        activatedMentorships = 0
        sessionsAttended = 0
        minutesAttended = 0
        sessionsLast30Days = 0
        minutesLast30Days = 0
        sessionsLast90Days = 0
        minutesLast90Days = 0
        lastSessionAt = nil
        daysSinceLastSession = nil
        averageEngagementScore = 0
    }

    /// Adds one of the person's mentorships (called in mentorship-id order). `scoreSum`
    /// accumulates the scores; ``finish(scoreSum:asOf:)`` turns it into the mean.
    mutating func add(_ facts: EngagementMentorshipFacts, _ engagement: MentorshipEngagement, asMentor: Bool, asOf: Timestamp) {
        mentorships.append(facts.mentorship)
        if asMentor { mentorshipsAsMentor += 1 } else { mentorshipsAsMentee += 1 }
        if engagement.lifecycle == .active { activeMentorships += 1 }
        if engagement.activated { activatedMentorships += 1 }
        let earlier = facts.settled
        sessionsAttended += asMentor ? earlier.mentorSessions : earlier.menteeSessions
        minutesAttended += asMentor ? earlier.mentorMinutes : earlier.menteeMinutes
        if let earlierLast = asMentor ? earlier.mentorLastSessionAt : earlier.menteeLastSessionAt,
           lastSessionAt.map({ earlierLast > $0 }) ?? true {
            lastSessionAt = earlierLast
        }
        for session in facts.sessions where session.heldAt <= asOf && (asMentor ? session.mentorAttended : session.menteeAttended) {
            sessionsAttended += 1
            minutesAttended += session.minutes
            if EngagementFormulas.isWithin(days: EngagementFormulas.shortWindowDays, of: asOf, session.heldAt) {
                sessionsLast30Days += 1
                minutesLast30Days += session.minutes
            }
            if EngagementFormulas.isWithin(days: EngagementFormulas.longWindowDays, of: asOf, session.heldAt) {
                sessionsLast90Days += 1
                minutesLast90Days += session.minutes
            }
            if lastSessionAt.map({ session.heldAt > $0 }) ?? true { lastSessionAt = session.heldAt }
        }
    }

    /// Sets the derived fields once every mentorship was added.
    mutating func finish(scoreSum: Double, asOf: Timestamp) {
        averageEngagementScore = mentorships.isEmpty ? 0 : scoreSum / Double(mentorships.count)
        daysSinceLastSession = lastSessionAt.map { EngagementClock.days(asOf.microsecondsSinceEpoch - $0.microsecondsSinceEpoch) }
    }

    func addFields(to digest: inout CanonicalDigest) {
        digest.add(participant)
        digest.add(mentorships.count)
        for mentorship in mentorships { digest.add(mentorship) }
        digest.add(mentorshipsAsMentor)
        digest.add(mentorshipsAsMentee)
        digest.add(activeMentorships)
        digest.add(activatedMentorships)
        digest.add(sessionsAttended)
        digest.add(minutesAttended)
        digest.add(sessionsLast30Days)
        digest.add(minutesLast30Days)
        digest.add(sessionsLast90Days)
        digest.add(minutesLast90Days)
        digest.add(lastSessionAt) { $0.add($1) }
        digest.add(daysSinceLastSession) { $0.add($1) }
        digest.add(averageEngagementScore)
    }
}
