import EventLedger

/// Goal metrics summed over a set of goals (a mentorship, an owner, a program, everything).
///
/// Rates are `nil` when their denominator is 0:
/// - **completion rate** = achieved / (set − abandoned);
/// - **on-time achievement** = goals achieved at or before their (current) deadline / goals
///   whose deadline ≤ asOf, abandoned goals excluded. A goal achieved early whose deadline is
///   still ahead is in neither count (the numerator is a subset of the denominator);
/// - **revision churn** = revisions / goals set, and **easier-revision churn** = easier
///   revisions / goals set (easier: the target moved closer to the baseline, or the deadline
///   moved later — see ``ProgressFormulas/isEasier(baseline:oldTarget:newTarget:oldDeadline:newDeadline:)``);
/// - **mean progress** = mean progress % of the goals not abandoned.
public struct GoalRollup: Sendable, Hashable, Codable {
    /// Goals set at or before asOf.
    public var goalsSet = 0
    /// Active goals (open, deadline not passed).
    public var active = 0
    /// Overdue goals (open, deadline passed).
    public var overdue = 0
    /// Achieved goals.
    public var achieved = 0
    /// Abandoned goals.
    public var abandoned = 0
    /// Open goals (active or overdue) that are on track.
    public var openOnTrack = 0
    /// Goals not abandoned whose deadline ≤ asOf (the on-time denominator).
    public var goalsDue = 0
    /// Of those, achieved at or before their deadline.
    public var achievedOnTime = 0
    /// Revisions at or before asOf.
    public var revisions = 0
    /// Of those, easier ones.
    public var easierRevisions = 0
    /// Sum of the progress % of the goals not abandoned.
    public var progressSum = 0.0

    /// An empty rollup.
    public init() {}

    /// achieved / (set − abandoned); `nil` when no goal is left after removing abandoned ones.
    public var completionRate: Double? { ProgressFormulas.rate(achieved, goalsSet - abandoned) }
    /// achieved on time / goals due (abandoned excluded); `nil` when no goal is due yet.
    public var onTimeAchievementRate: Double? { ProgressFormulas.rate(achievedOnTime, goalsDue) }
    /// Revisions per goal set; `nil` with no goals.
    public var revisionChurn: Double? { ProgressFormulas.rate(revisions, goalsSet) }
    /// Easier revisions per goal set; `nil` with no goals.
    public var easierRevisionChurn: Double? { ProgressFormulas.rate(easierRevisions, goalsSet) }
    /// Mean progress % of the goals not abandoned; `nil` when there are none.
    public var meanProgressPercent: Double? {
        let count = goalsSet - abandoned
        return count > 0 ? progressSum / Double(count) : nil
    }

    /// Adds one goal evaluated as of `asOf`.
    mutating func add(_ goal: GoalProgress, asOf: Timestamp) {
        goalsSet += 1
        switch goal.status {
        case .active: active += 1
        case .overdue: overdue += 1
        case .achieved: achieved += 1
        case .abandoned: abandoned += 1
        }
        if goal.status.isOpen, goal.onTrack { openOnTrack += 1 }
        if goal.status != .abandoned {
            progressSum += goal.progressPercent
            if goal.deadline <= asOf {
                goalsDue += 1
                if goal.achievedOnTime { achievedOnTime += 1 }
            }
        }
        revisions += goal.revisions
        easierRevisions += goal.easierRevisions
    }

    func feed(_ d: inout CanonicalDigest) {
        for value in [goalsSet, active, overdue, achieved, abandoned, openOnTrack, goalsDue, achievedOnTime, revisions, easierRevisions] {
            d.add(value)
        }
        d.add(progressSum)
    }
}
