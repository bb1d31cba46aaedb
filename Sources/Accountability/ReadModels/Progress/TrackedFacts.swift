import EventLedger
import Foundation

// Facts shared by the Progress, Commitment and Nudges read models. Each is what happened, with
// the occurred-at time of the event that said so (never a metric): reports filter them by asOf.

/// A mentorship's identity and lifecycle, learned from MentorshipStarted (revision 0 of its
/// stream), MentorshipPaused / MentorshipResumed and MentorshipEnded.
struct TrackedPair: Sendable, Hashable, Codable {
    var mentorship: UUID
    var mentor: UUID
    var mentee: UUID
    var program: UUID
    var cadenceDays: Int
    var startedAt: Timestamp
    var endedAt: Timestamp?
    /// Pauses in log order: `[pausedAt, resumedAt)`; `resumedAt` nil while still paused in the log.
    var pauses: [TrackedPause] = []

    init(_ start: MentorshipStarted, at time: Timestamp) {
        mentorship = start.mentorship
        mentor = start.mentor
        mentee = start.mentee
        program = start.program
        cadenceDays = start.cadenceDays
        startedAt = time
    }

    /// Folds the lifecycle events; other events are left alone.
    mutating func record(_ event: AccountabilityEvent, at time: Timestamp) {
        switch event {
        case .mentorshipPaused:
            pauses.append(TrackedPause(pausedAt: time))
        case .mentorshipResumed:
            if let index = pauses.lastIndex(where: { $0.resumedAt == nil }) { pauses[index].resumedAt = time }
        case .mentorshipEnded:
            endedAt = time
        default:
            break
        }
    }

    /// Started at or before `asOf`.
    func isStarted(asOf: Timestamp) -> Bool { startedAt <= asOf }
    /// Ended at or before `asOf`.
    func isEnded(asOf: Timestamp) -> Bool { endedAt.map { $0 <= asOf } ?? false }
    /// Paused at `asOf`: a pause began at or before `asOf` and was not resumed by then.
    func isPaused(asOf: Timestamp) -> Bool {
        pauses.contains { $0.pausedAt <= asOf && ($0.resumedAt.map { $0 > asOf } ?? true) }
    }

    /// Whether `person` is this pair's mentor or mentee.
    func isParticipant(_ person: UUID) -> Bool { person == mentor || person == mentee }
}

/// One pause of a mentorship (occurred-at times).
struct TrackedPause: Sendable, Hashable, Codable {
    var pausedAt: Timestamp
    var resumedAt: Timestamp?
}

/// A task: who must do it, by when, towards which goal, and when it was closed.
struct TrackedTask: Sendable, Hashable, Codable {
    var assignee: UUID
    var goal: UUID?
    var assignedAt: Timestamp
    var due: Timestamp
    var completedAt: Timestamp?
    var cancelledAt: Timestamp?

    func isAssigned(asOf: Timestamp) -> Bool { assignedAt <= asOf }
    func isCompleted(asOf: Timestamp) -> Bool { completedAt.map { $0 <= asOf } ?? false }
    func isCancelled(asOf: Timestamp) -> Bool { cancelledAt.map { $0 <= asOf } ?? false }
}

extension [UUID: TrackedTask] {
    /// Folds TaskAssigned, TaskCompleted and TaskCancelled; other events are left alone.
    mutating func record(_ event: AccountabilityEvent, at time: Timestamp) {
        switch event {
        case .taskAssigned(let e):
            self[e.task] = TrackedTask(assignee: e.assignee, goal: e.goal, assignedAt: time, due: e.due)
        case .taskCompleted(let e):
            self[e.task]?.completedAt = time
        case .taskCancelled(let e):
            self[e.task]?.cancelledAt = time
        default:
            break
        }
    }
}

/// A goal: its SMART numbers when set, its revisions and measurements in log order, its closing.
struct TrackedGoal: Sendable, Hashable, Codable {
    var owner: UUID
    var setAt: Timestamp
    var baseline: Double
    /// The target when set (revisions are applied at evaluation, as of asOf).
    var target: Double
    /// The deadline when set.
    var deadline: Timestamp
    var revisions: [TrackedRevision] = []
    var measurements: [TrackedMeasurement] = []
    /// Tasks assigned towards this goal, in log order.
    var tasks: [UUID] = []
    var achievedAt: Timestamp?
    var abandonedAt: Timestamp?
}

/// A GoalRevised: the new target and/or deadline.
struct TrackedRevision: Sendable, Hashable, Codable {
    var at: Timestamp
    var target: Double?
    var deadline: Timestamp?
}

/// A GoalProgressRecorded (or a GoalAchieved's final value).
struct TrackedMeasurement: Sendable, Hashable, Codable {
    var at: Timestamp
    var position: UInt64
    var value: Double
}

extension [UUID: TrackedGoal] {
    /// Folds the goal events, and links tasks assigned towards a goal; other events are left alone.
    mutating func record(_ event: AccountabilityEvent, at time: Timestamp, position: UInt64) {
        switch event {
        case .goalSet(let e):
            self[e.goal] = TrackedGoal(owner: e.owner, setAt: time, baseline: e.metric.baseline,
                                       target: e.metric.target, deadline: e.deadline)
        case .goalRevised(let e):
            self[e.goal]?.revisions.append(TrackedRevision(at: time, target: e.target, deadline: e.deadline))
        case .goalProgressRecorded(let e):
            self[e.goal]?.measurements.append(TrackedMeasurement(at: time, position: position, value: e.value))
        case .goalAchieved(let e):
            self[e.goal]?.achievedAt = time
            if let value = e.finalValue {
                self[e.goal]?.measurements.append(TrackedMeasurement(at: time, position: position, value: value))
            }
        case .goalAbandoned(let e):
            self[e.goal]?.abandonedAt = time
        case .taskAssigned(let e):
            if let goal = e.goal { self[goal]?.tasks.append(e.task) }
        default:
            break
        }
    }
}

/// A session: scheduled, then held, missed or cancelled (or held without being scheduled).
struct TrackedSession: Sendable, Hashable, Codable {
    var scheduledFor: Timestamp?
    var heldAt: Timestamp?
    var attendees: [UUID] = []
    var missedAt: Timestamp?
    var absentMentor = false
    var absentMentee = false
    var cancelledAt: Timestamp?
    var cancelledBy: UUID?
    /// Log position of the SessionHeld or SessionMissed that resolved it (orders ties).
    var resolvedPosition: UInt64 = 0
}

/// A FeedbackGiven.
struct TrackedFeedback: Sendable, Hashable, Codable {
    var at: Timestamp
    var position: UInt64
    var from: UUID
    var to: UUID
    var rating: Int
    var session: UUID?
}

/// A session resolved as of some time: held or missed, ordered by the occurred-at of the event
/// that resolved it (SessionHeld / SessionMissed), ties by log position.
struct ResolvedSession {
    var session: UUID
    var at: Timestamp
    var position: UInt64
    /// Held (with attendees) or missed (with absent parties).
    var held: Bool
    var attendees: [UUID]
    var absentMentor: Bool
    var absentMentee: Bool

    static func precedes(_ a: ResolvedSession, _ b: ResolvedSession) -> Bool {
        a.at != b.at ? a.at < b.at : a.position < b.position
    }
}

/// Sessions and feedback of one mentorship.
struct TrackedSessions: Sendable, Hashable, Codable {
    var sessions: [UUID: TrackedSession] = [:]
    var feedback: [TrackedFeedback] = []

    /// Folds the session and feedback events; other events are left alone.
    mutating func record(_ event: AccountabilityEvent, at time: Timestamp, position: UInt64) {
        switch event {
        case .sessionScheduled(let e):
            sessions[e.session] = TrackedSession(scheduledFor: e.scheduledFor)
        case .sessionHeld(let e):
            var session = sessions[e.session] ?? TrackedSession()
            session.heldAt = time
            session.attendees = e.attendees
            session.resolvedPosition = position
            sessions[e.session] = session
        case .sessionMissed(let e):
            sessions[e.session]?.missedAt = time
            sessions[e.session]?.absentMentor = e.absent != .mentee
            sessions[e.session]?.absentMentee = e.absent != .mentor
            sessions[e.session]?.resolvedPosition = position
        case .sessionCancelled(let e):
            sessions[e.session]?.cancelledAt = time
            sessions[e.session]?.cancelledBy = e.cancelledBy
        case .feedbackGiven(let e):
            feedback.append(TrackedFeedback(at: time, position: position, from: e.from, to: e.to, rating: e.rating, session: e.session))
        default:
            break
        }
    }

    /// Sessions held or missed at or before `asOf`, oldest first.
    func resolved(asOf: Timestamp) -> [ResolvedSession] {
        var result: [ResolvedSession] = []
        for (id, s) in sessions {
            if let heldAt = s.heldAt, heldAt <= asOf {
                result.append(ResolvedSession(session: id, at: heldAt, position: s.resolvedPosition, held: true,
                                              attendees: s.attendees, absentMentor: false, absentMentee: false))
            } else if let missedAt = s.missedAt, missedAt <= asOf {
                result.append(ResolvedSession(session: id, at: missedAt, position: s.resolvedPosition, held: false,
                                              attendees: [], absentMentor: s.absentMentor, absentMentee: s.absentMentee))
            }
        }
        result.sort(by: ResolvedSession.precedes)
        return result
    }
}
