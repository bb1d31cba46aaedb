import EventLedger

/// A mentorship's unpaused clock as of asOf, for the nudges' durations (10 / 14+ / 90 days, 48 h):
/// paused time does not count.
///
/// Pauses that began at or before asOf are `[pausedAt, resumedAt)`; a pause not resumed by asOf
/// runs on forever. Overlaps are merged.
struct NudgeClock {
    /// Merged paused intervals in microseconds, sorted.
    let paused: [Range<Int64>]

    init(pauses: [TrackedPause], asOf: Timestamp) {
        var intervals: [Range<Int64>] = []
        for pause in pauses where pause.pausedAt <= asOf {
            let lower = pause.pausedAt.microsecondsSinceEpoch
            var upper = Int64.max
            if let resumedAt = pause.resumedAt, resumedAt <= asOf { upper = Swift.max(resumedAt.microsecondsSinceEpoch, lower) }
            if upper > lower { intervals.append(lower..<upper) }
        }
        intervals.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int64>] = []
        for interval in intervals {
            if let last = merged.last, interval.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<Swift.max(last.upperBound, interval.upperBound)
            } else {
                merged.append(interval)
            }
        }
        paused = merged
    }

    /// The earliest time by which `micros` of unpaused time have passed since `from` (a start
    /// inside a pause waits for its end).
    func instant(after from: Timestamp, activeMicros micros: Int64) -> Timestamp {
        var time = from.microsecondsSinceEpoch
        var remaining = micros
        for interval in paused where interval.upperBound > time {
            if interval.lowerBound > time {
                let gap = interval.lowerBound - time
                if remaining <= gap { return Timestamp(microsecondsSinceEpoch: time + remaining) }
                remaining -= gap
            }
            if interval.upperBound == .max { return .distantFuture }
            time = interval.upperBound
        }
        let (sum, overflow) = time.addingReportingOverflow(remaining)
        return overflow ? .distantFuture : Timestamp(microsecondsSinceEpoch: sum)
    }
}
