import EventLedger

/// A MentorshipPaused, MentorshipResumed or MentorshipEnded, as `apply` appends it to a read
/// model's lifecycle column (folded into the ``TrackedPair`` when a report is made). 24 bytes.
struct LifecycleFact: StreamFact, Sendable, Hashable, Codable {
    /// Which lifecycle event.
    enum Change: UInt8, Sendable, Hashable, Codable {
        case paused, resumed, ended
    }

    var stream: UInt64
    /// Occurred-at.
    var at: Timestamp
    var change: Change

    /// The fact of a lifecycle event of `stream`; `nil` for any other event.
    init?(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp) {
        switch event {
        case .mentorshipPaused: change = .paused
        case .mentorshipResumed: change = .resumed
        case .mentorshipEnded: change = .ended
        default: return nil
        }
        self.stream = stream
        at = time
    }
}
