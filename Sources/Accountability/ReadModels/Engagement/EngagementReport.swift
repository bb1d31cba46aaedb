public import EventLedger
public import Foundation

/// The engagement read model as of one time: every mentorship started by asOf and every person
/// taking part in one.
///
/// Lists are sorted by id (`uuidString`); ``digest`` covers every field in a fixed order, so the
/// same log and asOf always give the same digest.
public struct EngagementReport: Sendable, Hashable, Codable {
    /// The time the report is evaluated at.
    public var asOf: Timestamp
    /// Per mentorship, sorted by mentorship id.
    public var mentorships: [MentorshipEngagement]
    /// Per participant (mentors and mentees), sorted by person id.
    public var participants: [ParticipantEngagement]

    /// Computes the report of `state` as of `asOf`.
    public init(state: EngagementState, asOf: Timestamp) {
        self.init(records: state.records.inStartOrder, asOf: asOf)
    }

    /// Computes the report of the mentorships whose records are `records` as of `asOf` (one
    /// record alone gives that mentorship's entry and its two people's engagement in it): only
    /// facts whose occurred-at is at or before `asOf` count; a mentorship that started after
    /// `asOf` is not reported.
    public init(records: some Sequence<MentorshipRecord>, asOf: Timestamp) {
        self.asOf = asOf
        var started: [EngagementMentorshipFacts] = []
        for record in records where record.pair.startedAt <= asOf { started.append(EngagementMentorshipFacts(record: record)) }
        let facts = started.sorted { $0.mentorship.precedes($1.mentorship) }
        var mentorships: [MentorshipEngagement] = []
        mentorships.reserveCapacity(facts.count)
        var people: [UUID: (ParticipantEngagement, Double)] = [:]
        for pair in facts {
            let engagement = MentorshipEngagement(pair, asOf: asOf)
            mentorships.append(engagement)
            for (person, asMentor) in [(pair.mentor, true), (pair.mentee, false)] {
                var entry = people[person] ?? (ParticipantEngagement(participant: person), 0)
                entry.0.add(pair, engagement, asMentor: asMentor, asOf: asOf)
                entry.1 += engagement.engagementScore
                people[person] = entry
            }
        }
        self.mentorships = mentorships
        participants = people.values
            .map { entry in
                var participant = entry.0
                participant.finish(scoreSum: entry.1, asOf: asOf)
                return participant
            }
            .sorted { $0.participant.precedes($1.participant) }
    }

    /// The mentorship with this id; `nil` when it had not started by asOf.
    public func mentorship(_ id: UUID) -> MentorshipEngagement? {
        mentorships.first { $0.mentorship == id }
    }

    /// The person with this id; `nil` when they take part in no mentorship started by asOf.
    public func participant(_ id: UUID) -> ParticipantEngagement? {
        participants.first { $0.participant == id }
    }

    /// Mentorships not ended at asOf (active or paused), **most at risk first**: ascending
    /// engagement score, ties broken by mentorship id (`uuidString`).
    public var mentorshipsByEngagement: [MentorshipEngagement] {
        mentorshipsByEngagement(includingEnded: false)
    }

    /// Mentorships by ascending engagement score (ties by mentorship id); ended ones only when
    /// `includingEnded`.
    public func mentorshipsByEngagement(includingEnded: Bool) -> [MentorshipEngagement] {
        mentorships
            .filter { includingEnded || $0.lifecycle != .ended }
            .sorted {
                $0.engagementScore != $1.engagementScore
                    ? $0.engagementScore < $1.engagementScore
                    : $0.mentorship.precedes($1.mentorship)
            }
    }

    /// The `count` mentorships (not ended) with the lowest engagement scores.
    public func mostAtRisk(_ count: Int) -> [MentorshipEngagement] {
        Array(mentorshipsByEngagement.prefix(Swift.max(count, 0)))
    }

    /// SHA-256 (hex) of the report: asOf, then every mentorship and every participant in list
    /// order, each field in declaration order (optionals with a presence byte, lists with their
    /// count).
    public var digest: String {
        var digest = CanonicalDigest()
        digest.add("accountability.engagement/1")
        digest.add(asOf)
        digest.add(mentorships.count)
        for mentorship in mentorships { mentorship.addFields(to: &digest) }
        digest.add(participants.count)
        for participant in participants { participant.addFields(to: &digest) }
        return digest.finalize()
    }
}
