import EventLedger
import Foundation

/// The Commitment formulas (README, Read models), each a pure function of facts and an explicit asOf.
enum CommitmentFormulas {
    /// A cancellation with less notice than this (scheduled-for − occurred-at) counts against
    /// attendance.
    static let shortNoticeMicros: Int64 = 24 * 3_600 * 1_000_000
    /// How many of the latest held sessions the feedback reciprocity looks at.
    static let recentSessions = 3

    /// 40 · attendance + 40 · task on-time + 20 · feedback, each rate 0…1 and a `nil` rate
    /// counting as 1.0 ("no evidence of failure"). 0…100, not rounded.
    static func score(attendance: Double?, taskOnTime: Double?, feedback: Double?) -> Double {
        40 * (attendance ?? 1) + 40 * (taskOnTime ?? 1) + 20 * (feedback ?? 1)
    }

    /// Whether a cancellation at `cancelledAt` of a session due at `scheduledFor` gave < 24 h notice.
    static func isShortNotice(scheduledFor: Timestamp?, cancelledAt: Timestamp) -> Bool {
        guard let scheduledFor else { return false }
        return scheduledFor.microsecondsSinceEpoch - cancelledAt.microsecondsSinceEpoch < shortNoticeMicros
    }

    /// Trailing misses of `entries` (time, position, miss) once sorted.
    static func trailingMisses(_ entries: [StreakEntry]) -> Int {
        var streak = 0
        for entry in entries.sorted(by: { $0.at != $1.at ? $0.at < $1.at : $0.position < $1.position }) {
            streak = entry.miss ? streak + 1 : 0
        }
        return streak
    }

    /// One resolved session of a participant: a miss by them, or a held session they attended.
    struct StreakEntry {
        var at: Timestamp
        var position: UInt64
        var miss: Bool
    }

    /// A person's counts, for one side or summed across mentorships.
    struct Tally {
        var attendance = AttendanceRecord()
        var streak: [StreakEntry] = []
        var tasks = TaskRecord()
        var feedbackGiven = 0
        var feedbackReceived = 0
        var mentorshipsWithHeldSessions = 0
        var recentFeedbackGiven = 0

        mutating func merge(_ other: Tally) {
            attendance.held += other.attendance.held
            attendance.noShows += other.attendance.noShows
            attendance.shortNoticeCancellations += other.attendance.shortNoticeCancellations
            streak += other.streak
            tasks.due += other.tasks.due
            tasks.completedOnTime += other.tasks.completedOnTime
            tasks.openOverdue += other.tasks.openOverdue
            feedbackGiven += other.feedbackGiven
            feedbackReceived += other.feedbackReceived
            mentorshipsWithHeldSessions += other.mentorshipsWithHeldSessions
            recentFeedbackGiven += other.recentFeedbackGiven
        }

        func commitment(of person: UUID, mentorship: UUID?, asOf: Timestamp) -> ParticipantCommitment {
            var attendance = attendance
            attendance.noShowStreak = trailingMisses(streak)
            var tasks = tasks
            tasks.openOverdue.sort { $0.task.precedes($1.task) }
            return ParticipantCommitment(person: person, mentorship: mentorship, attendance: attendance, tasks: tasks,
                                         feedbackGiven: feedbackGiven, feedbackReceived: feedbackReceived,
                                         mentorshipsWithHeldSessions: mentorshipsWithHeldSessions,
                                         recentFeedbackGiven: recentFeedbackGiven)
        }
    }

    /// One mentorship evaluated as of asOf: the pair's record and each side's tally.
    struct Evaluation {
        var mentorship: MentorshipCommitment
        var mentorTally: Tally
        var menteeTally: Tally
    }

    /// Evaluates one mentorship as of `asOf` (every fact filtered by its occurred-at ≤ asOf).
    static func evaluate(_ facts: CommitmentMentorshipFacts, asOf: Timestamp) -> Evaluation {
        let pair = facts.pair
        let settled = facts.settled
        var mentor = Tally(), mentee = Tally()
        var pairAttendance = AttendanceRecord()
        // What was settled: counts, and each streak's settled end.
        pairAttendance.held = settled.pairHeld
        pairAttendance.noShows = settled.pairNoShows
        pairAttendance.shortNoticeCancellations = settled.pairShortNotice
        mentor.attendance.held = settled.mentorHeld
        mentor.attendance.noShows = settled.mentorNoShows
        mentor.attendance.shortNoticeCancellations = settled.mentorShortNotice
        mentee.attendance.held = settled.menteeHeld
        mentee.attendance.noShows = settled.menteeNoShows
        mentee.attendance.shortNoticeCancellations = settled.menteeShortNotice
        var pairStreak = settled.pairStreak.entries
        mentor.streak = settled.mentorStreak.entries
        mentee.streak = settled.menteeStreak.entries

        // Attendance and streaks, over sessions resolved by asOf.
        let resolved = facts.sessions.resolved(asOf: asOf)
        for session in resolved {
            pairStreak.append(StreakEntry(at: session.at, position: session.position, miss: !session.held))
            if session.held {
                pairAttendance.held += 1
                let entry = StreakEntry(at: session.at, position: session.position, miss: false)
                if session.mentorAttended { mentor.attendance.held += 1; mentor.streak.append(entry) }
                if session.menteeAttended { mentee.attendance.held += 1; mentee.streak.append(entry) }
            } else {
                pairAttendance.noShows += 1
                let entry = StreakEntry(at: session.at, position: session.position, miss: true)
                if session.absentMentor { mentor.attendance.noShows += 1; mentor.streak.append(entry) }
                if session.absentMentee { mentee.attendance.noShows += 1; mentee.streak.append(entry) }
            }
        }
        for session in facts.sessions.sessions.values {
            guard let cancelledAt = session.cancelledAt, cancelledAt <= asOf,
                  isShortNotice(scheduledFor: session.scheduledFor, cancelledAt: cancelledAt) else { continue }
            pairAttendance.shortNoticeCancellations += 1
            if session.cancelledByMentor { mentor.attendance.shortNoticeCancellations += 1 }
            if session.cancelledByMentee { mentee.attendance.shortNoticeCancellations += 1 }
        }
        pairAttendance.noShowStreak = trailingMisses(pairStreak)

        // Tasks: due by asOf (cancelled excluded), on time, open overdue.
        var pairTasks = TaskRecord()
        pairTasks.due = settled.taskDue
        pairTasks.completedOnTime = settled.taskOnTime
        mentor.tasks.due += settled.mentorTaskDue
        mentor.tasks.completedOnTime += settled.mentorTaskOnTime
        mentee.tasks.due += settled.menteeTaskDue
        mentee.tasks.completedOnTime += settled.menteeTaskOnTime
        for (id, task) in facts.tasks where task.isAssigned(asOf: asOf) && !task.isCancelled(asOf: asOf) {
            var record = TaskRecord()
            if task.due <= asOf {
                record.due = 1
                if let completedAt = task.completedAt, completedAt <= task.due { record.completedOnTime = 1 }
            }
            if !task.isCompleted(asOf: asOf), task.due < asOf {
                record.openOverdue = [OverdueTask(task: id, mentorship: pair.mentorship, assignee: task.assignee, due: task.due,
                                                  ageSeconds: asOf.seconds(since: task.due))]
            }
            pairTasks.due += record.due
            pairTasks.completedOnTime += record.completedOnTime
            pairTasks.openOverdue += record.openOverdue
            if task.assignee == pair.mentor {
                mentor.tasks.due += record.due; mentor.tasks.completedOnTime += record.completedOnTime; mentor.tasks.openOverdue += record.openOverdue
            } else if task.assignee == pair.mentee {
                mentee.tasks.due += record.due; mentee.tasks.completedOnTime += record.completedOnTime; mentee.tasks.openOverdue += record.openOverdue
            }
        }
        pairTasks.openOverdue.sort { $0.task.precedes($1.task) }

        // Feedback: counts, and who gave feedback about one of the last 3 held sessions.
        let held = (settled.recentHeld.map(\.resolved) + resolved.filter(\.held)).sorted(by: ResolvedSession.precedes)
        let heldCount = settled.pairHeld + resolved.reduce(0) { $0 + ($1.held ? 1 : 0) }
        let recent = Set(held.suffix(recentSessions).map(\.session))
        var mentorToMentee = settled.mentorFeedback, menteeToMentor = settled.menteeFeedback
        var mentorRecent = false, menteeRecent = false
        for session in settled.recentHeld where recent.contains(session.session) {
            if session.mentorGave { mentorRecent = true }
            if session.menteeGave { menteeRecent = true }
        }
        for feedback in facts.sessions.feedback where feedback.at <= asOf {
            let isRecent = feedback.session.map { recent.contains($0) } ?? false
            if feedback.from == pair.mentor {
                mentorToMentee += 1
                if isRecent { mentorRecent = true }
            } else if feedback.from == pair.mentee {
                menteeToMentor += 1
                if isRecent { menteeRecent = true }
            }
        }
        mentor.feedbackGiven = mentorToMentee
        mentor.feedbackReceived = menteeToMentor
        mentee.feedbackGiven = menteeToMentor
        mentee.feedbackReceived = mentorToMentee
        if heldCount > 0 {
            mentor.mentorshipsWithHeldSessions = 1
            mentee.mentorshipsWithHeldSessions = 1
            mentor.recentFeedbackGiven = mentorRecent ? 1 : 0
            mentee.recentFeedbackGiven = menteeRecent ? 1 : 0
        }

        let record = MentorshipCommitment(
            mentorship: pair.mentorship, program: pair.program, mentor: pair.mentor, mentee: pair.mentee,
            ended: pair.isEnded(asOf: asOf), attendance: pairAttendance, tasks: pairTasks,
            mentorToMentee: mentorToMentee, menteeToMentor: menteeToMentor, heldSessions: heldCount,
            mentorGaveRecently: mentorRecent, menteeGaveRecently: menteeRecent,
            mentorSide: mentor.commitment(of: pair.mentor, mentorship: pair.mentorship, asOf: asOf),
            menteeSide: mentee.commitment(of: pair.mentee, mentorship: pair.mentorship, asOf: asOf))
        return Evaluation(mentorship: record, mentorTally: mentor, menteeTally: mentee)
    }
}
