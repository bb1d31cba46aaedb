import EventLedger

/// A MentorshipPaused, MentorshipResumed or MentorshipEnded, as a ``MentorshipRecord`` folds it
/// into its ``TrackedPair``.
struct LifecycleFact: Sendable, Hashable {
    /// Which lifecycle event.
    enum Change: UInt8, Sendable, Hashable {
        case paused, resumed, ended
    }

    /// Occurred-at.
    var at: Timestamp
    var change: Change

    /// The fact of a lifecycle event; `nil` for any other event.
    init?(_ event: AccountabilityEvent, at time: Timestamp) {
        switch event {
        case .mentorshipPaused: change = .paused
        case .mentorshipResumed: change = .resumed
        case .mentorshipEnded: change = .ended
        default: return nil
        }
        at = time
    }
}
