public import EventLedger
import Foundation

extension CommitmentReport {
    /// The Commitment report of the mentorships whose records are `records` (in the order they
    /// started, as ``MentorshipRecords/inStartOrder`` lists them; one record alone gives that
    /// mentorship's entry and its two people's commitment in it) as of `asOf`: only facts that
    /// occurred at or before `asOf` count, and only mentorships started by then are reported.
    public init(records: some Sequence<MentorshipRecord>, asOf: Timestamp) {
        var byMentorship: [UUID: MentorshipCommitment] = [:]
        var people: [UUID: CommitmentFormulas.Tally] = [:]
        for record in records where record.pair.isStarted(asOf: asOf) {
            let facts = CommitmentMentorshipFacts(record: record)
            let evaluation = CommitmentFormulas.evaluate(facts, asOf: asOf)
            byMentorship[facts.pair.mentorship] = evaluation.mentorship
            people[facts.pair.mentor, default: CommitmentFormulas.Tally()].merge(evaluation.mentorTally)
            people[facts.pair.mentee, default: CommitmentFormulas.Tally()].merge(evaluation.menteeTally)
        }
        var participants: [UUID: ParticipantCommitment] = [:]
        for (person, tally) in people {
            participants[person] = tally.commitment(of: person, mentorship: nil, asOf: asOf)
        }
        self.init(asOf: asOf, mentorships: byMentorship, participants: participants)
    }
}
