public import EventLedger
public import Foundation

/// Attendance of a participant or of a mentorship as of asOf.
///
/// **attendance reliability** = held / (held + no-shows + cancellations with < 24 h notice);
/// `nil` when all three are 0.
/// - For a participant: held = held sessions they attended; no-shows = SessionMissed whose
///   absent party is them or both; short-notice cancellations = SessionCancelled by them where
///   scheduled-for − the cancellation's occurred-at < 24 h (exactly 24 h is enough notice).
/// - For a mentorship: every held session, every no-show (a "both" no-show counts once), every
///   short-notice cancellation by either side.
///
/// **no-show streak**: consecutive no-shows at the end of the resolved sessions (held or missed
/// at or before asOf), ordered by the occurred-at of the SessionHeld / SessionMissed (ties: log
/// position). For a participant only their sessions count: a held session they attended resets
/// the streak, a miss by them (or both) extends it; misses by the other party and held sessions
/// they did not attend are skipped. For a mentorship every held session resets it and every miss
/// extends it. Across mentorships, a person's sessions are merged in that order.
public struct AttendanceRecord: Sendable, Hashable, Codable {
    /// Held sessions (attended by the participant, for a participant).
    public var held = 0
    /// No-shows (by the participant, for a participant).
    public var noShows = 0
    /// Cancellations with less than 24 h notice (by the participant, for a participant).
    public var shortNoticeCancellations = 0
    /// The current no-show streak.
    public var noShowStreak = 0

    /// Creates an empty record.
    public init() {}

    /// held / (held + no-shows + short-notice cancellations); `nil` when the denominator is 0.
    public var reliability: Double? {
        let denominator = held + noShows + shortNoticeCancellations
        return denominator > 0 ? Double(held) / Double(denominator) : nil
    }

    func feed(_ d: inout CanonicalDigest) {
        d.add(held)
        d.add(noShows)
        d.add(shortNoticeCancellations)
        d.add(noShowStreak)
    }
}

/// An open task past its due time.
public struct OverdueTask: Sendable, Hashable, Codable {
    /// The task.
    public var task: UUID
    /// Its mentorship.
    public var mentorship: UUID
    /// Who must do it.
    public var assignee: UUID
    /// When it was due.
    public var due: Timestamp
    /// How long it has been overdue: asOf − due, in seconds.
    public var ageSeconds: Double

    func feed(_ d: inout CanonicalDigest) {
        d.add(task)
        d.add(mentorship)
        d.add(assignee)
        d.add(due)
        d.add(ageSeconds)
    }
}

/// Task reliability as of asOf.
///
/// **task on-time rate** = tasks completed at or before their due time / tasks due by asOf
/// (due ≤ asOf), tasks cancelled at or before asOf excluded; `nil` when no task is due.
/// **Open overdue tasks**: assigned, neither completed nor cancelled by asOf, due < asOf; sorted
/// by task id (uuidString), with their age asOf − due.
public struct TaskRecord: Sendable, Hashable, Codable {
    /// Tasks due by asOf, cancelled ones excluded.
    public var due = 0
    /// Of those, completed at or before their due time.
    public var completedOnTime = 0
    /// Open tasks past their due time.
    public var openOverdue: [OverdueTask] = []

    /// Creates an empty record.
    public init() {}

    /// completed on time / due; `nil` when no task is due.
    public var onTimeRate: Double? { due > 0 ? Double(completedOnTime) / Double(due) : nil }

    func feed(_ d: inout CanonicalDigest) {
        d.add(due)
        d.add(completedOnTime)
        d.add(openOverdue.count)
        for task in openOverdue { task.feed(&d) }
    }
}

/// A participant's commitment: one side of one mentorship (``mentorship`` set), or a person
/// across all their mentorships (``mentorship`` nil), counts summed.
///
/// **Feedback share** = mentorships (with at least one held session) in which this person gave
/// session feedback about one of the last 3 held sessions / mentorships with a held session;
/// for one side it is 1 or 0, `nil` when no session was held. It is the participant's half of
/// the mentorship's reciprocity.
///
/// **score** (0…100) = 40 · attendance reliability + 40 · task on-time rate + 20 · feedback
/// share, a `nil` rate counting as 1.0 ("no evidence of failure").
public struct ParticipantCommitment: Sendable, Hashable, Codable {
    /// The person.
    public var person: UUID
    /// The mentorship for one side; `nil` for the person across mentorships.
    public var mentorship: UUID?
    /// Attendance.
    public var attendance: AttendanceRecord
    /// Tasks assigned to the person.
    public var tasks: TaskRecord
    /// Feedback they gave (at or before asOf).
    public var feedbackGiven: Int
    /// Feedback they received.
    public var feedbackReceived: Int
    /// Mentorships with at least one held session.
    public var mentorshipsWithHeldSessions: Int
    /// Of those, where they gave feedback about one of the last 3 held sessions.
    public var recentFeedbackGiven: Int

    /// recent feedback given / mentorships with held sessions; `nil` when none.
    public var feedbackShare: Double? {
        mentorshipsWithHeldSessions > 0 ? Double(recentFeedbackGiven) / Double(mentorshipsWithHeldSessions) : nil
    }

    /// 40 · attendance + 40 · task on-time + 20 · feedback share (nil counts as 1.0).
    public var score: Double {
        CommitmentFormulas.score(attendance: attendance.reliability, taskOnTime: tasks.onTimeRate, feedback: feedbackShare)
    }

    func feed(_ d: inout CanonicalDigest) {
        d.add(person)
        d.add(mentorship) { $0.add($1) }
        attendance.feed(&d)
        tasks.feed(&d)
        d.add(feedbackGiven)
        d.add(feedbackReceived)
        d.add(mentorshipsWithHeldSessions)
        d.add(recentFeedbackGiven)
        d.add(score)
    }
}

/// A mentorship's commitment, both sides together, and each side.
///
/// **Feedback reciprocity** = sides (mentor, mentee) that gave session-linked feedback about one
/// of the last 3 held sessions (by the SessionHeld's occurred-at) / 2: 0, 0.5 or 1; `nil` when no
/// session was held.
///
/// **score** (0…100) = 40 · attendance reliability + 40 · task on-time rate + 20 · reciprocity,
/// a `nil` rate counting as 1.0.
public struct MentorshipCommitment: Sendable, Hashable, Codable {
    /// The mentorship.
    public var mentorship: UUID
    /// Its program.
    public var program: UUID
    /// The mentor.
    public var mentor: UUID
    /// The mentee.
    public var mentee: UUID
    /// Whether it ended at or before asOf (ended mentorships stay in the report).
    public var ended: Bool
    /// Attendance of the pair.
    public var attendance: AttendanceRecord
    /// Tasks of both sides.
    public var tasks: TaskRecord
    /// Feedback given by the mentor to the mentee.
    public var mentorToMentee: Int
    /// Feedback given by the mentee to the mentor.
    public var menteeToMentor: Int
    /// Held sessions at or before asOf.
    public var heldSessions: Int
    /// The mentor gave feedback about one of the last 3 held sessions.
    public var mentorGaveRecently: Bool
    /// The mentee gave feedback about one of the last 3 held sessions.
    public var menteeGaveRecently: Bool
    /// The mentor's side.
    public var mentorSide: ParticipantCommitment
    /// The mentee's side.
    public var menteeSide: ParticipantCommitment

    /// (mentor gave + mentee gave) / 2 over the last 3 held sessions; `nil` with no held session.
    public var reciprocity: Double? {
        heldSessions > 0 ? Double((mentorGaveRecently ? 1 : 0) + (menteeGaveRecently ? 1 : 0)) / 2 : nil
    }

    /// 40 · attendance + 40 · task on-time + 20 · reciprocity (nil counts as 1.0).
    public var score: Double {
        CommitmentFormulas.score(attendance: attendance.reliability, taskOnTime: tasks.onTimeRate, feedback: reciprocity)
    }

    func feed(_ d: inout CanonicalDigest) {
        d.add(mentorship)
        d.add(program)
        d.add(mentor)
        d.add(mentee)
        d.add(ended)
        attendance.feed(&d)
        tasks.feed(&d)
        d.add(mentorToMentee)
        d.add(menteeToMentor)
        d.add(heldSessions)
        d.add(mentorGaveRecently)
        d.add(menteeGaveRecently)
        mentorSide.feed(&d)
        menteeSide.feed(&d)
        d.add(score)
    }
}

/// The Commitment read model as of an explicit time.
public struct CommitmentReport: Sendable, Hashable, Codable {
    /// The time the report is as of.
    public var asOf: Timestamp
    /// Per mentorship started at or before asOf (ended ones included).
    public var mentorships: [UUID: MentorshipCommitment]
    /// Per person across all their mentorships.
    public var participants: [UUID: ParticipantCommitment]

    /// SHA-256 over every field in a fixed order (dictionaries by key uuidString).
    public var digest: String {
        var d = CanonicalDigest()
        d.add("accountability.commitment/1")
        d.add(asOf)
        d.add(mentorships.count)
        for key in mentorships.keys.sorted(by: { $0.precedes($1) }) { mentorships[key]?.feed(&d) }
        d.add(participants.count)
        for key in participants.keys.sorted(by: { $0.precedes($1) }) { participants[key]?.feed(&d) }
        return d.finalize()
    }
}
