public import EventLedger

/// What to simulate: how many mentorships, for how long, from which seed.
public struct SimulationConfig: Sendable, Hashable {
    /// The seed: the same configuration gives the same events, byte for byte.
    public var seed: UInt64
    /// How many mentorships (pairs). They start spread over the first 30 days.
    public var mentorships: Int
    /// How long the program runs, in months of 30 days.
    public var months: Int
    /// The first day of the program (midnight UTC).
    public var start: Timestamp

    /// Monday 5 January 2026, 00:00 UTC.
    public static let defaultStart = Timestamp(microsecondsSinceEpoch: 1_767_571_200_000_000)

    /// Creates a configuration; the defaults are the demo's: 200 mentorships over 6 months.
    public init(seed: UInt64 = 1, mentorships: Int = 200, months: Int = 6, start: Timestamp = SimulationConfig.defaultStart) {
        self.seed = seed
        self.mentorships = mentorships
        self.months = months
        self.start = start
    }

    /// The number of simulated days.
    public var days: Int { months * 30 }

    /// Checks the configuration; throws a ``LedgerError/Code/invalidRequest`` naming the field.
    public func validate() throws {
        guard (1...10_000_000).contains(mentorships) else {
            throw LedgerError(.invalidRequest, "mentorships is \(mentorships); it must be 1 to 10,000,000")
        }
        guard (1...120).contains(months) else {
            throw LedgerError(.invalidRequest, "months is \(months); it must be 1 to 120")
        }
        // 1970-01-01 to 2200-01-01, so every simulated time is far from the timestamp's limits.
        guard (0...7_258_118_400_000_000).contains(start.microsecondsSinceEpoch) else {
            throw LedgerError(.invalidRequest, "start is \(start); it must be between 1970 and 2200")
        }
    }
}
