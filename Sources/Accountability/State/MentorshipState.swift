public import EventLedger
public import Foundation

/// What the commands of one mentorship are checked against: its stream folded from the start.
///
/// Build it from the ledger with ``AccountabilityLedger/state(of:)``, or fold events yourself
/// with ``apply(_:occurredAt:)``.
public struct MentorshipState: Sendable, Hashable {
    /// The mentorship's id.
    public let mentorship: UUID
    /// The stream's revision after the last folded event; `nil` for an empty stream.
    public internal(set) var revision: UInt64?
    /// Where the mentorship is.
    public internal(set) var status: MentorshipStatus = .notStarted
    /// The start event, once folded.
    public internal(set) var start: MentorshipStarted?
    /// When it started (occurred-at of MentorshipStarted).
    public internal(set) var startedAt: Timestamp?
    /// The latest occurred-at of any event folded.
    public internal(set) var latestOccurredAt: Timestamp?
    /// When the current pause began, while paused.
    public internal(set) var pausedAt: Timestamp?
    /// Goals by id.
    public internal(set) var goals: [UUID: GoalState] = [:]
    /// Sessions by id.
    public internal(set) var sessions: [UUID: SessionState] = [:]
    /// Tasks by id.
    public internal(set) var tasks: [UUID: TaskState] = [:]

    /// The state of a mentorship with no events.
    public init(mentorship: UUID) { self.mentorship = mentorship }

    /// The mentor, once started.
    public var mentor: UUID? { start?.mentor }
    /// The mentee, once started.
    public var mentee: UUID? { start?.mentee }
    /// The program, once started.
    public var program: UUID? { start?.program }

    /// Whether `person` is the mentor or the mentee.
    public func isParticipant(_ person: UUID) -> Bool {
        person == start?.mentor || person == start?.mentee
    }

    /// Folds one event, recorded at the next revision. Events are assumed valid (they were checked
    /// by ``MentorshipRules`` before they were stored); ids they do not know are ignored.
    public mutating func apply(_ event: AccountabilityEvent, occurredAt: Timestamp) {
        revision = revision.map { $0 + 1 } ?? 0
        latestOccurredAt = max(latestOccurredAt ?? occurredAt, occurredAt)
        switch event {
        case .mentorshipStarted(let e):
            start = e
            startedAt = occurredAt
            status = .active
        case .mentorshipPaused(let e):
            status = .paused(until: e.until)
            pausedAt = occurredAt
        case .mentorshipResumed:
            status = .active
            pausedAt = nil
        case .mentorshipEnded(let e):
            status = .ended(by: e.endedBy, reason: e.reason)
        case .goalSet(let e):
            goals[e.goal] = GoalState(goal: e.goal, owner: e.owner, setAt: occurredAt, baseline: e.metric.baseline,
                                      target: e.metric.target, deadline: e.deadline, latestValue: nil, status: .active)
        case .goalRevised(let e):
            if let target = e.target { goals[e.goal]?.target = target }
            if let deadline = e.deadline { goals[e.goal]?.deadline = deadline }
        case .goalProgressRecorded(let e):
            goals[e.goal]?.latestValue = e.value
        case .goalAchieved(let e):
            goals[e.goal]?.status = .achieved
            if let value = e.finalValue { goals[e.goal]?.latestValue = value }
        case .goalAbandoned(let e):
            goals[e.goal]?.status = .abandoned
        case .sessionScheduled(let e):
            sessions[e.session] = SessionState(session: e.session, scheduledFor: e.scheduledFor, recordedAt: occurredAt, heldAt: nil, status: .scheduled)
        case .sessionHeld(let e):
            if sessions[e.session] != nil {
                sessions[e.session]?.status = .held
                sessions[e.session]?.heldAt = occurredAt
            } else {
                sessions[e.session] = SessionState(session: e.session, scheduledFor: nil, recordedAt: occurredAt, heldAt: occurredAt, status: .held)
            }
        case .sessionCancelled(let e):
            sessions[e.session]?.status = .cancelled
        case .sessionMissed(let e):
            sessions[e.session]?.status = .missed
        case .taskAssigned(let e):
            tasks[e.task] = TaskState(task: e.task, assignedAt: occurredAt, assignee: e.assignee, due: e.due, goal: e.goal, status: .open)
        case .taskCompleted(let e):
            tasks[e.task]?.status = .completed
        case .taskCancelled(let e):
            tasks[e.task]?.status = .cancelled
        case .feedbackGiven, .nudgeSent:
            break
        }
    }
}
