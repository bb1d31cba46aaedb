public import EventLedger
public import Foundation

/// A reminder due as of asOf: one per (rule, subject, recipient).
public struct DueNudge: Sendable, Hashable, Codable {
    /// The rule whose condition holds.
    public var rule: NudgeRule
    /// The mentorship it is about.
    public var mentorship: UUID
    /// The mentorship's program.
    public var program: UUID
    /// What it is about: the mentorship, a goal, a task or a session (per rule, see
    /// ``NudgeReport``). Record it as NudgeSent's subject.
    public var subject: UUID
    /// Who should be reminded.
    public var recipient: NudgeRecipient
    /// When the current episode of the condition began (paused time excluded from durations).
    public var conditionBegan: Timestamp

    /// Creates a due nudge.
    public init(rule: NudgeRule, mentorship: UUID, program: UUID, subject: UUID, recipient: NudgeRecipient, conditionBegan: Timestamp) {
        self.rule = rule
        self.mentorship = mentorship
        self.program = program
        self.subject = subject
        self.recipient = recipient
        self.conditionBegan = conditionBegan
    }

    func feed(_ d: inout CanonicalDigest) {
        d.add(Int(rule.rawValue))
        d.add(mentorship)
        d.add(program)
        d.add(subject)
        switch recipient {
        case .participant(let id):
            d.add(0)
            d.add(id)
        case .programAdmins(let program):
            d.add(1)
            d.add(program)
        }
        d.add(conditionBegan)
    }

    /// Report order: mentorship, rule, subject, recipient.
    static func precedes(_ a: DueNudge, _ b: DueNudge) -> Bool {
        if a.mentorship != b.mentorship { return a.mentorship.precedes(b.mentorship) }
        if a.rule != b.rule { return a.rule.rawValue < b.rule.rawValue }
        if a.subject != b.subject { return a.subject.precedes(b.subject) }
        return NudgeRecipient.precedes(a.recipient, b.recipient)
    }
}
