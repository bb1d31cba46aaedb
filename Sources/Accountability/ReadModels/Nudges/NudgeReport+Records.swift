public import EventLedger

extension NudgeReport {
    /// The nudges due as of `asOf` in the mentorships whose records are `records` (one record
    /// alone gives that mentorship's nudges): only facts that occurred at or before `asOf`
    /// count.
    public init(records: some Sequence<MentorshipRecord>, asOf: Timestamp) {
        var nudges: [DueNudge] = []
        for record in records {
            NudgeRules.due(NudgeMentorshipFacts(record: record, asOf: asOf), asOf: asOf, into: &nudges)
        }
        nudges.sort(by: DueNudge.precedes)
        self.init(asOf: asOf, nudges: nudges)
    }
}
