public import EventLedger

/// The events of one simulated day: the commands, and the same events as one multi-stream
/// append (each stream expecting the revision it had before the day).
public struct SimulatedDay: Sendable {
    /// The day's index from the program's start.
    public let day: Int
    /// 23:59:59 on that day: when the day's events are recorded.
    public let closesAt: Timestamp
    /// The commands, in the order they happened per mentorship.
    public let commands: [MentorshipCommand]
    /// One append per mentorship with events that day, in mentorship order.
    public let appends: [StreamAppend]
}
