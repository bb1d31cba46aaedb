public import Foundation

/// A point in time with microsecond precision, stored as a signed 64-bit count of microseconds since
/// 1970-01-01T00:00:00Z.
///
/// Fixed-size, so decoding one allocates nothing; ordered, so it can bound reads.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Microseconds since the Unix epoch (negative before it).
    public var microsecondsSinceEpoch: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// Creates a timestamp from a `Date`, truncated to the microsecond.
    public init(_ date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        self.microsecondsSinceEpoch = Int64(exactly: micros) ?? (micros < 0 ? .min : .max)
    }

    /// The earliest representable time.
    public static let distantPast = Timestamp(microsecondsSinceEpoch: .min)
    /// The latest representable time.
    public static let distantFuture = Timestamp(microsecondsSinceEpoch: .max)

    /// The current wall-clock time. Read models never call this; they take an explicit as-of time.
    public static func now() -> Timestamp { Timestamp(Date()) }

    /// The same instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    /// This time moved by `seconds` (negative to go back), saturating at the representable range.
    public func adding(seconds: Double) -> Timestamp {
        let delta = (seconds * 1_000_000).rounded()
        guard let micros = Int64(exactly: delta) else { return seconds < 0 ? .distantPast : .distantFuture }
        let (sum, overflow) = microsecondsSinceEpoch.addingReportingOverflow(micros)
        if overflow { return micros < 0 ? .distantPast : .distantFuture }
        return Timestamp(microsecondsSinceEpoch: sum)
    }

    /// Seconds from `other` to this time.
    public func seconds(since other: Timestamp) -> Double {
        Double(microsecondsSinceEpoch) / 1_000_000 - Double(other.microsecondsSinceEpoch) / 1_000_000
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// RFC 3339 in UTC with milliseconds, for example `2026-03-01T15:00:00.000Z`.
    public var description: String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
