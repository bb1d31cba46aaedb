public import EventLedger

/// The engagement formulas (README, Read models: engagement), each a pure function.
///
/// Conventions: a rate whose denominator is empty is `nil` in the report and counts as 1.0
/// ("no evidence of failure") inside the engagement score. Scores are Doubles in 0…100, not
/// rounded.
public enum EngagementFormulas {
    /// A mentorship is **activated** once it has held this many sessions: 3.
    public static let activationSessions = 3
    /// The short window: 30 days. A session is in it when `asOf − 30 d < heldAt ≤ asOf`.
    public static let shortWindowDays = 30
    /// The long window: 90 days. A session is in it when `asOf − 90 d < heldAt ≤ asOf`.
    public static let longWindowDays = 90

    /// `numerator / denominator`, or `nil` when the denominator is 0.
    public static func rate(_ numerator: Int, _ denominator: Int) -> Double? {
        denominator > 0 ? Double(numerator) / Double(denominator) : nil
    }

    /// **Cadence periods** on the active clock (see ``EngagementClock``).
    ///
    /// The active time `A` since the start is cut into periods of `cadence` length:
    /// period `k` covers active time `[k·cadence, (k+1)·cadence)`. A held session at `t` falls in
    /// period `activeMicros(t) / cadence` (integer division; a session held during a pause falls
    /// in the period the pause interrupted).
    /// - `full = A / cadence` periods have fully elapsed; the current partial period (index
    ///   `full`) counts as elapsed **only if it already contains a held session** (so a pair is
    ///   never penalised for a period that is still running, and is credited as soon as it meets).
    /// - elapsed = full + (1 if period `full` contains a session)
    /// - withSession = distinct periods (among those) containing ≥ 1 held session.
    /// For an ended mentorship the clock stops at the end, so periods stop there too.
    ///
    /// - Parameters:
    ///   - clock: the mentorship's active clock as of asOf.
    ///   - cadenceDays: the agreed cadence.
    ///   - heldAt: the held sessions' times (only those at or before asOf).
    ///   - settled: periods already counted for settled sessions (``SettledEngagement``): how
    ///     many distinct ones, and the highest; a listed session in that highest period is not
    ///     counted again.
    public static func cadencePeriods(clock: EngagementClock, cadenceDays: Int, heldAt: [Timestamp],
                                      settled: (periods: Int, last: Int?) = (0, nil)) -> (elapsed: Int, withSession: Int) {
        let cadence = Int64(Swift.max(cadenceDays, 1)) * EngagementClock.microsPerDay
        let full = Int(clock.totalActiveMicros / cadence)
        var periods = heldAt.map { Int(clock.activeMicros(at: $0) / cadence) }
        periods.sort()
        var distinct = settled.periods
        var previous: Int? = settled.last
        for period in periods where period != previous {
            if let last = settled.last, period == last { continue }
            distinct += 1
            previous = period
        }
        let highest = Swift.max(periods.last ?? Int.min, settled.last ?? Int.min)
        let currentHasSession = highest == full
        return (full + (currentHasSession ? 1 : 0), distinct)
    }

    /// **Recency** in 0…1 from `days` = active days since the last held session (or since the
    /// start when no session was held yet) and the cadence `c`:
    /// 1 while `days ≤ c`; `1 − (days − c) / (2c)` between `c` and `3c` (linear decay);
    /// 0 from `3c` on.
    public static func recency(activeDays days: Double, cadenceDays: Int) -> Double {
        let cadence = Double(cadenceDays)
        if days <= cadence { return 1 }
        if days >= 3 * cadence { return 0 }
        return 1 - (days - cadence) / (2 * cadence)
    }

    /// **Engagement score** 0…100 = 50·cadence adherence + 30·recency + 20·feedback completion,
    /// with a `nil` adherence or feedback completion counted as 1.0.
    public static func score(cadenceAdherence: Double?, recency: Double, feedbackCompletion: Double?) -> Double {
        50 * (cadenceAdherence ?? 1) + 30 * recency + 20 * (feedbackCompletion ?? 1)
    }

    /// Whether `heldAt` lies in the window of `days` days ending at `asOf`:
    /// `asOf − days < heldAt ≤ asOf`.
    public static func isWithin(days: Int, of asOf: Timestamp, _ heldAt: Timestamp) -> Bool {
        heldAt <= asOf && heldAt.microsecondsSinceEpoch > asOf.microsecondsSinceEpoch - Int64(days) * EngagementClock.microsPerDay
    }
}
