public import EventLedger

/// Where a mentorship is in its life.
public enum MentorshipStatus: Sendable, Hashable {
    /// No MentorshipStarted yet.
    case notStarted
    /// Running.
    case active
    /// Paused, perhaps until a given time.
    case paused(until: Timestamp?)
    /// Ended; nothing more may be recorded.
    case ended(by: EndedBy, reason: EndReason)
}
