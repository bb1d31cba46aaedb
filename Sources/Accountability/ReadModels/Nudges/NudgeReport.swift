public import EventLedger
public import Foundation

/// The reminders due as of an explicit time (README, Read models). The library computes them; sending is
/// the host's job.
///
/// One entry per (rule, subject, recipient), with the time its current condition began:
///
/// | rule | condition | recipient | subject | began |
/// |---|---|---|---|---|
/// | firstSessionOverdue | no session held, 10 unpaused days after the start | mentor, mentee | mentorship | start + 10 d |
/// | noRecentSession | no session for max(14, 1.5 × cadence) unpaused days since the last held one (only once a session was held: before that the first-session nudge applies, its 10 days being shorter) | mentor, mentee | mentorship | last held + threshold |
/// | taskOverdue | open task, due < asOf | assignee | task | due |
/// | goalDeadlineAtRisk | open goal, deadline − asOf ≤ 7 d (a passed deadline included), not on track (Progress's formulas) | owner | goal | start of the current unbroken episode |
/// | feedbackMissing | held session, no feedback about it from either side, 48 unpaused hours later | mentor, mentee | session | held + 48 h |
/// | noShowStreak | the pair's last ≥ 2 resolved sessions were no-shows (by anyone) | program admins | mentorship | the run's second no-show |
/// | lowRating | feedback rated ≤ 2 | program admins | the feedback's session, else the mentorship | latest such feedback for the subject |
/// | inactive | 90 unpaused days without activity (any event except NudgeSent) | program admins | mentorship | last activity + 90 d |
///
/// - **Paused mentorships stop the clock**: paused intervals do not count toward the durations,
///   and nothing is due while a mentorship is paused at asOf. Ended mentorships (and those not
///   started by asOf) get no nudges.
/// - **Answered nudges**: a NudgeSent with the same rule and subject — and the same recipient, or
///   any recipient for a program-admins nudge — at or after the time the current condition began
///   (and at or before asOf) means the nudge is not due. When the condition clears and returns,
///   a new episode begins after that NudgeSent and the nudge is due again.
public struct NudgeReport: Sendable, Hashable, Codable {
    /// The time the report is as of.
    public var asOf: Timestamp
    /// The due nudges, sorted by mentorship id, rule, subject id, recipient.
    public var nudges: [DueNudge]

    /// The nudges for `recipient`.
    public func nudges(for recipient: NudgeRecipient) -> [DueNudge] { nudges.filter { $0.recipient == recipient } }
    /// The nudges about `mentorship`.
    public func nudges(in mentorship: UUID) -> [DueNudge] { nudges.filter { $0.mentorship == mentorship } }
    /// The nudges of `rule`.
    public func nudges(of rule: NudgeRule) -> [DueNudge] { nudges.filter { $0.rule == rule } }

    /// SHA-256 over every field in a fixed order.
    public var digest: String {
        var d = CanonicalDigest()
        d.add("accountability.nudges/1")
        d.add(asOf)
        d.add(nudges.count)
        for nudge in nudges { nudge.feed(&d) }
        return d.finalize()
    }
}
