public import EventLedger
public import Foundation

/// A goal's status as of the report's asOf.
public enum GoalStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Open, deadline not passed (deadline ≥ asOf).
    case active
    /// GoalAchieved occurred at or before asOf.
    case achieved
    /// GoalAbandoned occurred at or before asOf.
    case abandoned
    /// Open and its current (revised) deadline is before asOf.
    case overdue

    /// A stable code for digests.
    public var code: Int {
        switch self {
        case .active: 0
        case .achieved: 1
        case .abandoned: 2
        case .overdue: 3
        }
    }

    /// Active or overdue: not achieved and not abandoned.
    public var isOpen: Bool { self == .active || self == .overdue }
}

/// What a goal's progress % was computed from.
public enum ProgressBasis: String, Sendable, Hashable, Codable, CaseIterable {
    /// The goal was achieved: 100 %.
    case achieved
    /// The latest measurement against the baseline and the current target.
    case measurement
    /// No measurement: completed linked tasks / linked tasks not cancelled.
    case tasks
    /// No measurement and no linked task: 0 %.
    case none

    /// A stable code for digests.
    public var code: Int {
        switch self {
        case .achieved: 0
        case .measurement: 1
        case .tasks: 2
        case .none: 3
        }
    }
}

/// One goal as of asOf: where it stands against its current (revised) target and deadline.
public struct GoalProgress: Sendable, Hashable, Codable {
    /// The goal.
    public var goal: UUID
    /// Its mentorship.
    public var mentorship: UUID
    /// Its owner (normally the mentee).
    public var owner: UUID
    /// Active, achieved, abandoned or overdue.
    public var status: GoalStatus
    /// When it was set (occurred-at of GoalSet).
    public var setAt: Timestamp
    /// The baseline.
    public var baseline: Double
    /// The current target: the set target after revisions at or before asOf.
    public var target: Double
    /// The current deadline: the set deadline after revisions at or before asOf.
    public var deadline: Timestamp
    /// The latest measured value at or before asOf (latest occurred-at; ties: later in the log).
    public var latestValue: Double?
    /// When it was achieved, if at or before asOf.
    public var achievedAt: Timestamp?
    /// When it was abandoned, if at or before asOf.
    public var abandonedAt: Timestamp?
    /// Linked tasks assigned at or before asOf and not cancelled by then.
    public var linkedTasks: Int
    /// Of those, completed at or before asOf.
    public var completedLinkedTasks: Int
    /// What ``progressPercent`` was computed from.
    public var basis: ProgressBasis
    /// Progress 0…100 (see ``ProgressFormulas``).
    public var progressPercent: Double
    /// Expected progress 0…100: elapsed share of [set-at, current deadline].
    public var expectedPercent: Double
    /// progress ≥ expected − 10 points (achieved: always; abandoned: never).
    public var onTrack: Bool
    /// Revisions at or before asOf.
    public var revisions: Int
    /// Of those, revisions that made the goal easier.
    public var easierRevisions: Int

    /// How far behind schedule, in points: expected − progress (negative when ahead).
    public var gap: Double { expectedPercent - progressPercent }

    /// Whether it was achieved at or before its current deadline.
    public var achievedOnTime: Bool { achievedAt.map { $0 <= deadline } ?? false }

    func feed(_ d: inout CanonicalDigest) {
        d.add(goal)
        d.add(mentorship)
        d.add(owner)
        d.add(status.code)
        d.add(setAt)
        d.add(baseline)
        d.add(target)
        d.add(deadline)
        d.add(latestValue) { $0.add($1) }
        d.add(achievedAt) { $0.add($1) }
        d.add(abandonedAt) { $0.add($1) }
        d.add(linkedTasks)
        d.add(completedLinkedTasks)
        d.add(basis.code)
        d.add(progressPercent)
        d.add(expectedPercent)
        d.add(onTrack)
        d.add(revisions)
        d.add(easierRevisions)
    }
}
