/// When a ``MentorshipRecord`` settles its older facts into counters, so that its size follows
/// the mentorship, not the number of its events.
///
/// With a retention of `d` days, whenever a record's latest occurred-at has moved 30 days past its
/// last settling, the sessions, feedback, nudges sent and activity older than latest − `d` days are
/// folded into counters (``MentorshipRecord/settledBefore``) and dropped; so are the goals closed
/// before then (with every revision, measurement and linked task), which keep only their final
/// Progress entry, and the tasks closed and due before then that no open goal links, which keep
/// only the due and on-time counts per side. An open goal keeps its revisions, measurements and
/// linked tasks (its at-risk episode reads them). Every metric of the five
/// built-in models stays exact for an asOf at or after ``MentorshipRecord/answersExactlyFrom``
/// (the settled horizon + 90 days, the longest window), which always lies before the record's
/// latest event — what a host asks the persisted models ("now"). Earlier times are time travel:
/// replay without settling (``never``), as `ledger replay --as-of` does.
///
/// Two kinds of input fall outside "exact", both far from what a live program logs: an event
/// dated before the settled horizon when it is appended (a pause, an end or a session more than
/// `d` days older than the mentorship's latest event), and feedback about a session that was
/// settled without feedback and is not among the mentorship's last three held sessions (it still
/// counts in the feedback totals and ratings, but no longer marks that session as having had
/// feedback for the engagement feedback completion).
public struct RecordSettling: Sendable, Hashable {
    /// The retention in days; `nil` keeps every fact.
    public let retentionDays: Int?

    /// The shortest retention: the longest window a metric looks back (90 days).
    public static let minimumRetentionDays = 90
    /// How far a record's latest event moves past its last settling before it settles again (30
    /// days): settling is a scan of the record's live facts, done once per step, not per event.
    public static let stepDays = 30

    private init(retentionDays: Int?) { self.retentionDays = retentionDays }

    /// Keeps every fact: a record can be evaluated at any asOf (time travel).
    public static let never = RecordSettling(retentionDays: nil)
    /// Settles facts older than 120 days before the record's latest event: the persisted models'
    /// default.
    public static let standard = RecordSettling(retentionDays: 120)

    /// Settles facts older than `days` days before the record's latest event; `days` below
    /// ``minimumRetentionDays`` counts as that minimum.
    public static func keeping(days: Int) -> RecordSettling {
        RecordSettling(retentionDays: Swift.max(days, minimumRetentionDays))
    }
}
