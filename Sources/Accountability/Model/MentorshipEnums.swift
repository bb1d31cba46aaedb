/// Who ended a mentorship.
public enum EndedBy: UInt8, PayloadEnum {
    /// The mentor.
    case mentor = 1
    /// The mentee.
    case mentee = 2
    /// A program admin.
    case admin = 3
    /// The host system (an automated rule).
    case system = 4
}

/// Why a mentorship ended.
public enum EndReason: UInt8, PayloadEnum {
    /// It ran its course.
    case completed = 1
    /// It ended before its planned end.
    case early = 2
    /// Nobody was active any more.
    case inactivity = 3
    /// The pair did not work together.
    case badFit = 4
}

/// Who did not turn up to a session.
public enum AbsentParty: UInt8, PayloadEnum {
    /// The mentor.
    case mentor = 1
    /// The mentee.
    case mentee = 2
    /// Both.
    case both = 3
}

/// The reminder rules (README, Read models: nudges). A ``NudgeSent`` records which one fired.
public enum NudgeRule: UInt8, PayloadEnum {
    /// No session held 10 days after the start.
    case firstSessionOverdue = 1
    /// No session for max(14, 1.5 × cadence) days.
    case noRecentSession = 2
    /// A task is past its due time.
    case taskOverdue = 3
    /// A goal's deadline is within 7 days and it is not on track.
    case goalDeadlineAtRisk = 4
    /// A session was held 48 hours ago and nobody gave feedback.
    case feedbackMissing = 5
    /// Two no-shows in a row (to the program admin).
    case noShowStreak = 6
    /// A rating of 2 or less (to the program admin).
    case lowRating = 7
    /// 90 days without activity (suggest closing).
    case inactive = 8
}
