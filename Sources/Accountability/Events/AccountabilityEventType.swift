public import EventLedger

/// One of the built-in mentorship event types (README, The mentoring domain).
///
/// Each has a compact binary codec with a schema version; identifiers, numbers and times decode
/// without allocating. `validate()` checks the event's own fields (texts, ranges, SMART parts that
/// need no context); ``MentorshipRules`` checks it against the mentorship's state.
public protocol AccountabilityEventType: LedgerEvent, Hashable {
    /// The event wrapped in the closed ``AccountabilityEvent`` enum.
    var wrapped: AccountabilityEvent { get }
}
