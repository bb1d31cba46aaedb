public import EventLedger

/// A mentorship's **active clock**: time since its start with paused intervals removed, stopped
/// at its end (or at asOf).
///
/// - The clock runs over `[start, horizon]`, where `horizon = min(asOf, endedAt)`.
/// - Each pause `[pausedAt, resumedAt)` (open pauses, and pauses resumed after asOf, run to the
///   horizon; a resume dated before its pause counts as an empty pause) is clipped to
///   `[start, horizon]`; overlapping pauses are merged.
/// - `activeMicros(at: t)` = (min(max(t, start), horizon) − start) − paused time in that span.
///   It never decreases, and stands still during a pause and after the horizon.
///
/// All arithmetic is in whole microseconds, so period boundaries are exact.
public struct EngagementClock: Sendable, Hashable {
    /// Microseconds in a day.
    public static let microsPerDay: Int64 = 86_400_000_000

    /// The start (occurred-at of MentorshipStarted), in microseconds since the Unix epoch.
    public let start: Int64
    /// Where the clock stops: min(asOf, endedAt), never before the start.
    public let horizon: Int64
    /// Merged paused intervals inside `[start, horizon]`, sorted, as half-open `[lower, upper)`.
    public let paused: [Range<Int64>]

    /// The clock of a mentorship as of `asOf`.
    public init(start: Timestamp, endedAt: Timestamp?, pauses: [MentorshipPauseFact], asOf: Timestamp) {
        let start = start.microsecondsSinceEpoch
        var horizon = asOf.microsecondsSinceEpoch
        if let endedAt, endedAt.microsecondsSinceEpoch < horizon { horizon = endedAt.microsecondsSinceEpoch }
        horizon = Swift.max(horizon, start)
        var clipped: [Range<Int64>] = []
        clipped.reserveCapacity(pauses.count)
        for pause in pauses {
            let pausedAt = pause.pausedAt.microsecondsSinceEpoch
            let resumedAt = Swift.max(pause.resumedAt?.microsecondsSinceEpoch ?? .max, pausedAt)
            let lower = Swift.max(pausedAt, start)
            let upper = Swift.min(resumedAt, horizon)
            if upper > lower { clipped.append(lower..<upper) }
        }
        clipped.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int64>] = []
        merged.reserveCapacity(clipped.count)
        for interval in clipped {
            if let last = merged.last, interval.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<Swift.max(last.upperBound, interval.upperBound)
            } else {
                merged.append(interval)
            }
        }
        self.start = start
        self.horizon = horizon
        self.paused = merged
    }

    /// Active microseconds from the start to `time` (clamped to `[start, horizon]`).
    public func activeMicros(at time: Timestamp) -> Int64 {
        activeMicros(atMicros: time.microsecondsSinceEpoch)
    }

    /// Active microseconds from the start to the horizon: the clock's whole length.
    public var totalActiveMicros: Int64 { activeMicros(atMicros: horizon) }

    private func activeMicros(atMicros time: Int64) -> Int64 {
        let end = Swift.min(Swift.max(time, start), horizon)
        var active = end - start
        for interval in paused {
            if interval.lowerBound >= end { break }
            active -= Swift.min(interval.upperBound, end) - interval.lowerBound
        }
        return active
    }

    /// Microseconds as (fractional) days.
    public static func days(_ micros: Int64) -> Double {
        Double(micros) / Double(microsPerDay)
    }
}
