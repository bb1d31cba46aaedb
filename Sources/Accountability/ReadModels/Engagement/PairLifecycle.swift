public import EventLedger

/// Where a mentorship is in its life as of a given time, as the read models see it.
///
/// Derived from the facts with occurred-at ≤ asOf:
/// - ``ended`` once MentorshipEnded occurred at or before asOf;
/// - otherwise ``paused`` while a MentorshipPaused at or before asOf has no MentorshipResumed at
///   or before asOf;
/// - otherwise ``active``.
public enum PairLifecycle: String, Sendable, Hashable, Codable, CaseIterable {
    /// Started, not paused, not ended.
    case active
    /// Paused at asOf (paused time stops the engagement clock).
    case paused
    /// Ended at or before asOf; still reported, never "active".
    case ended

    /// A stable code for digests (0 active, 1 paused, 2 ended).
    public var code: Int {
        switch self {
        case .active: 0
        case .paused: 1
        case .ended: 2
        }
    }

    /// The lifecycle as of `asOf` of a mentorship with these pauses and ending.
    public static func at(_ asOf: Timestamp, pauses: [MentorshipPauseFact], endedAt: Timestamp?) -> PairLifecycle {
        if let endedAt, endedAt <= asOf { return .ended }
        for pause in pauses where pause.pausedAt <= asOf {
            guard let resumedAt = pause.resumedAt else { return .paused }
            if resumedAt > asOf { return .paused }
        }
        return .active
    }
}

/// One pause of a mentorship: from MentorshipPaused until MentorshipResumed (occurred-at times).
public struct MentorshipPauseFact: Sendable, Hashable, Codable {
    /// When the pause began (occurred-at of MentorshipPaused).
    public var pausedAt: Timestamp
    /// When it ended (occurred-at of MentorshipResumed); `nil` while still paused in the log.
    public var resumedAt: Timestamp?

    /// Creates a pause.
    public init(pausedAt: Timestamp, resumedAt: Timestamp? = nil) {
        self.pausedAt = pausedAt
        self.resumedAt = resumedAt
    }
}

extension [MentorshipPauseFact] {
    /// Records a MentorshipPaused.
    mutating func recordPause(at time: Timestamp) {
        append(MentorshipPauseFact(pausedAt: time))
    }

    /// Records a MentorshipResumed: closes the latest open pause.
    mutating func recordResume(at time: Timestamp) {
        guard let index = lastIndex(where: { $0.resumedAt == nil }) else { return }
        self[index].resumedAt = time
    }
}
