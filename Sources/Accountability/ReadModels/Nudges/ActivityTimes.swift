import EventLedger

/// The distinct occurred-at times of a mentorship's activity (its start and every event but
/// NudgeSent), sorted: what gives the Nudges rules the latest activity at or before any asOf,
/// exactly as scanning every event would.
///
/// It grows with the events (one entry per distinct time, 8 bytes each; in practice about one per
/// event) until the record settles: ``settle(before:)`` drops the older times, keeping only
/// their latest (``SettledHistory/lastActivity``).
struct ActivityTimes: Sendable, Hashable {
    /// Strictly ascending.
    private(set) var times: [Timestamp] = []

    /// No activity.
    init() {}

    /// Times already sorted and distinct (a decoded record).
    init(sorted times: [Timestamp]) { self.times = times }

    /// Notes activity at `time`: appended when it is the latest (O(1), the usual case), inserted
    /// in place when it is older, nothing when already known.
    mutating func saw(_ time: Timestamp) {
        guard let last = times.last, time <= last else {
            times.append(time)
            return
        }
        if time == last { return }
        let index = firstIndex(after: time, orEqual: true)
        if times[index] != time { times.insert(time, at: index) }
    }

    /// Drops the times before `horizon`; returns the latest of them (`nil` when none).
    mutating func settle(before horizon: Timestamp) -> Timestamp? {
        let count = firstIndex(after: horizon, orEqual: true)
        guard count > 0 else { return nil }
        let latest = times[count - 1]
        times.removeFirst(count)
        return latest
    }

    /// The latest activity at or before `asOf`; `nil` when there is none.
    func latest(atOrBefore asOf: Timestamp) -> Timestamp? {
        let index = firstIndex(after: asOf, orEqual: false)
        return index == 0 ? nil : times[index - 1]
    }

    /// The index of the first time > `time` (≥ `time` when `orEqual`); `times.count` when none.
    private func firstIndex(after time: Timestamp, orEqual: Bool) -> Int {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] < time || (!orEqual && times[mid] == time) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
