import Accountability
import EventLedger
import Foundation

/// The history of one goal: every event about it — its GoalSet, revisions, progress, achievement
/// or abandonment, the tasks linked to it and the sessions that discussed it — with who recorded
/// each, in which role, and what it changed.
///
/// It keeps the goal's current target, deadline and latest value as it folds, so a revision
/// can say "target 10 → 12". Replayed over `.all().recorded(upTo: date)` it gives the history as
/// it was known at that date.
struct GoalHistoryProjection: AccountabilityProjection {
    /// The goal to follow.
    let goal: UUID
    /// The program's admin accounts: an actor who is neither the mentor nor the mentee but one of
    /// these is shown as an admin.
    let admins: Set<UUID>

    var name: String { "examples.goal-audit.history" }
    var initialState: GoalHistory { GoalHistory() }

    func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout GoalHistory) {
        if case .mentorshipStarted(let start) = event {
            state.pairs[record.streamKey] = Pair(mentor: start.mentor, mentee: start.mentee)
            return
        }
        // Only the goal's own stream can mention it.
        if let stream = state.stream, stream != record.streamKey { return }
        guard let change = state.describe(event, goal: goal, streamKey: record.streamKey, at: record.occurredAt) else { return }
        state.entries.append(AuditEntry(
            position: record.position, recordedAt: record.recordedAt, occurredAt: record.occurredAt,
            actor: record.actor, role: state.role(of: record.actor, in: record.streamKey, admins: admins),
            eventType: event.eventType, change: change))
    }
}

/// The mentor and mentee of a mentorship.
struct Pair: Sendable {
    /// The mentor.
    let mentor: UUID
    /// The mentee.
    let mentee: UUID
}

/// Where a goal stands.
enum GoalStatus: String, Sendable {
    /// Set and still open.
    case active
    /// Achieved.
    case achieved
    /// Abandoned.
    case abandoned
}

/// What ``GoalHistoryProjection`` folds: the goal's entries and its current terms.
struct GoalHistory: Sendable {
    /// Every mentorship's pair, by stream key (for the actors' roles).
    var pairs: [UInt64: Pair] = [:]
    /// The goal's stream, once its GoalSet is folded.
    var stream: UInt64?
    /// The events about the goal, in log order.
    var entries: [AuditEntry] = []
    /// The GoalSet, once folded.
    private(set) var definition: GoalSet?
    /// The current target (changed by revisions).
    private(set) var target: Double?
    /// The current deadline (changed by revisions).
    private(set) var deadline: Timestamp?
    /// The latest measured value.
    private(set) var latestValue: Double?
    /// Active, achieved or abandoned.
    private(set) var status: GoalStatus?
    /// When it was achieved or abandoned (occurred-at).
    private(set) var closedAt: Timestamp?
    /// Tasks linked to the goal.
    private var tasks: Set<UUID> = []

    /// The role of `actor` in the mentorship of `stream`: mentor, mentee, admin or unknown.
    func role(of actor: UUID?, in stream: UInt64, admins: Set<UUID>) -> String {
        guard let actor else { return "none" }
        if actor == pairs[stream]?.mentor { return "mentor" }
        if actor == pairs[stream]?.mentee { return "mentee" }
        return admins.contains(actor) ? "admin" : "unknown"
    }

    /// Folds `event` (of the stream `streamKey`, occurred at `time`) if it is about `goal`, and
    /// says what it changed; `nil` when it is not about the goal.
    mutating func describe(_ event: AccountabilityEvent, goal: UUID, streamKey: UInt64, at time: Timestamp) -> String? {
        switch event {
        case .goalSet(let e) where e.goal == goal:
            stream = streamKey
            definition = e
            target = e.metric.target
            deadline = e.deadline
            status = .active
            let unit = e.metric.unit
            return "set “\(e.title)”: \(e.metric.name) from \(Format.number(e.metric.baseline)) to \(Format.number(e.metric.target)) \(unit), "
                + "deadline \(Format.day(e.deadline))\(e.mentorAgreed ? ", mentor agreed" : "")"
        case .goalRevised(let e) where e.goal == goal:
            var changes: [String] = []
            if let newTarget = e.target {
                changes.append("target \(target.map(Format.number) ?? "?") → \(Format.number(newTarget))")
                target = newTarget
            }
            if let newDeadline = e.deadline {
                changes.append("deadline \(deadline.map(Format.day) ?? "?") → \(Format.day(newDeadline))")
                deadline = newDeadline
            }
            return changes.joined(separator: ", ") + " (“\(e.reason)”)"
        case .goalProgressRecorded(let e) where e.goal == goal:
            let before = latestValue ?? definition?.metric.baseline
            latestValue = e.value
            return "value \(before.map(Format.number) ?? "?") → \(Format.number(e.value)) \(definition?.metric.unit ?? "")\(progressText(e.value))"
                + (e.note.map { " (“\($0)”)" } ?? "")
        case .goalAchieved(let e) where e.goal == goal:
            status = .achieved
            closedAt = time
            if let value = e.finalValue { latestValue = value }
            return "achieved" + (e.finalValue.map { ", final value \(Format.number($0))" } ?? "")
        case .goalAbandoned(let e) where e.goal == goal:
            status = .abandoned
            closedAt = time
            return "abandoned (“\(e.reason)”)"
        case .taskAssigned(let e) where e.goal == goal:
            tasks.insert(e.task)
            let assignee = role(of: e.assignee, in: streamKey, admins: [])
            return "task \(Format.short(e.task)) assigned to the \(assignee), due \(Format.day(e.due))"
        case .taskCompleted(let e) where tasks.contains(e.task):
            return "task \(Format.short(e.task)) completed" + (e.evidence.map { " (“\($0)”)" } ?? "")
        case .taskCancelled(let e) where tasks.contains(e.task):
            return "task \(Format.short(e.task)) cancelled (“\(e.reason)”)"
        case .sessionHeld(let e) where e.goals.contains(goal):
            return "discussed in a \(e.minutes)-minute session \(Format.short(e.session))"
        default:
            return nil
        }
    }

    /// " (35 % of the way to 2)": the share of the way from the baseline to the current target,
    /// when both are known and differ.
    private func progressText(_ value: Double) -> String {
        guard let baseline = definition?.metric.baseline, let target, target != baseline else { return "" }
        let percent = min(max((value - baseline) / (target - baseline) * 100, 0), 100)
        return " (\(String(format: "%.0f", percent)) % of the way to \(Format.number(target)))"
    }
}
