/// The program-health formulas (README, Read models: program health), each a pure function.
///
/// Thresholds follow mentoring platforms' published reports (Chronus, Mentorloop, Together,
/// iMentor, Torch); none publishes a composite, so the combination rule is ours:
/// - attendance ≥ 0.80 green, 0.65 ≤ attendance < 0.80 amber, below 0.65 red;
/// - average rating ≥ 4.2 green, 3.8 ≤ rating < 4.2 amber, below 3.8 red;
/// - a signal with no data (`nil`) is green — no evidence of a problem;
/// - combined: any red ⇒ red; both amber ⇒ amber; otherwise (one amber and one green, or two
///   greens) ⇒ green.
public enum HealthFormulas {
    /// A pair is **activated** once it has held this many sessions: 3.
    public static let activationSessions = 3
    /// The active-pair window: a held session with `asOf − 30 d < heldAt ≤ asOf`.
    public static let recentDays = 30
    /// A cancellation with less notice than this (24 h, strictly less) counts against attendance.
    public static let shortNoticeMicros: Int64 = 24 * 3_600_000_000
    /// Attendance at or above which the signal is green.
    public static let attendanceGreen = 0.80
    /// Attendance at or above which (and below green) the signal is amber.
    public static let attendanceAmber = 0.65
    /// Average rating at or above which the signal is green.
    public static let ratingGreen = 4.2
    /// Average rating at or above which (and below green) the signal is amber.
    public static let ratingAmber = 3.8

    /// `numerator / denominator`, or `nil` when the denominator is 0.
    public static func rate(_ numerator: Int, _ denominator: Int) -> Double? {
        denominator > 0 ? Double(numerator) / Double(denominator) : nil
    }

    /// **Attendance** = held / (held + no-shows + cancellations with < 24 h notice); `nil` when
    /// all three are 0.
    public static func attendance(held: Int, noShows: Int, shortNoticeCancellations: Int) -> Double? {
        rate(held, held + noShows + shortNoticeCancellations)
    }

    /// **Average rating** = sum of ratings / number of ratings; `nil` with no rating.
    public static func averageRating(sum: Int, count: Int) -> Double? {
        rate(sum, count)
    }

    /// The attendance signal; `nil` (no data) is green.
    public static func attendanceRAG(_ attendance: Double?) -> RAGStatus {
        guard let attendance else { return .green }
        if attendance >= attendanceGreen { return .green }
        if attendance >= attendanceAmber { return .amber }
        return .red
    }

    /// The rating signal; `nil` (no rating) is green.
    public static func ratingRAG(_ rating: Double?) -> RAGStatus {
        guard let rating else { return .green }
        if rating >= ratingGreen { return .green }
        if rating >= ratingAmber { return .amber }
        return .red
    }

    /// Combines the two signals: any red ⇒ red; two ambers ⇒ amber; otherwise green.
    public static func combine(_ attendance: RAGStatus, _ rating: RAGStatus) -> RAGStatus {
        if attendance == .red || rating == .red { return .red }
        if attendance == .amber && rating == .amber { return .amber }
        return .green
    }
}
