import EventLedger
import Foundation

/// The Progress formulas (README, Read models), each a pure function of facts and an explicit asOf.
enum ProgressFormulas {
    /// On track when progress ≥ expected − this many points.
    static let onTrackTolerancePoints = 10.0

    /// `numerator / denominator`, or `nil` when the denominator is 0 (no evidence).
    static func rate(_ numerator: Int, _ denominator: Int) -> Double? {
        denominator > 0 ? Double(numerator) / Double(denominator) : nil
    }

    /// Clamps to 0…100.
    static func clampPercent(_ value: Double) -> Double { Swift.min(100, Swift.max(0, value)) }

    /// Measured progress % = (value − baseline) / (target − baseline) × 100, clamped to 0…100.
    /// Works for decreasing goals too (target < baseline): both differences are negative.
    static func measuredPercent(value: Double, baseline: Double, target: Double) -> Double {
        let span = target - baseline
        guard span != 0 else { return value == target ? 100 : 0 }
        return clampPercent((value - baseline) / span * 100)
    }

    /// Expected % = elapsed share of [setAt, deadline] at `time` × 100, clamped to 0…100
    /// (100 when the span is empty).
    static func expectedPercent(setAt: Timestamp, deadline: Timestamp, at time: Timestamp) -> Double {
        let span = deadline.microsecondsSinceEpoch - setAt.microsecondsSinceEpoch
        guard span > 0 else { return 100 }
        let elapsed = time.microsecondsSinceEpoch - setAt.microsecondsSinceEpoch
        return clampPercent(Double(elapsed) / Double(span) * 100)
    }

    /// On track: progress ≥ expected − 10 points.
    static func isOnTrack(progress: Double, expected: Double) -> Bool {
        progress >= expected - onTrackTolerancePoints
    }

    /// A revision is **easier** when its new target is closer to the baseline than the target it
    /// replaces (|new − baseline| < |old − baseline|), or its new deadline is later than the
    /// deadline it replaces. A revision that does both harder and easier things (a higher target
    /// but a later deadline) counts as easier: it relaxed something.
    static func isEasier(baseline: Double, oldTarget: Double, newTarget: Double?,
                         oldDeadline: Timestamp, newDeadline: Timestamp?) -> Bool {
        if let newTarget, abs(newTarget - baseline) < abs(oldTarget - baseline) { return true }
        if let newDeadline, newDeadline > oldDeadline { return true }
        return false
    }

    /// Evaluates `goal` of `mentorship` as of `asOf`; `nil` when it was set after `asOf`.
    ///
    /// - Revisions at or before asOf are applied in log order (the order the rules checked them),
    ///   each compared with the target and deadline it replaced to decide whether it was easier.
    /// - Status: achieved / abandoned when that happened at or before asOf; otherwise overdue when
    ///   the current deadline < asOf; otherwise active.
    /// - Progress %: achieved → 100. Otherwise the latest measurement at or before asOf (latest
    ///   occurred-at, ties: later in the log) with ``measuredPercent(value:baseline:target:)``
    ///   against the current target; with no measurement, completed linked tasks / linked tasks
    ///   not cancelled × 100 (tasks assigned, completed and cancelled at or before asOf); with
    ///   neither, 0.
    /// - Expected %: ``expectedPercent(setAt:deadline:at:)`` at asOf for an open goal, and at
    ///   the time it closed for an achieved or abandoned goal (frozen when it closed).
    /// - On track: achieved goals are; abandoned goals are not; open goals when
    ///   ``isOnTrack(progress:expected:)``.
    static func evaluate(_ goal: TrackedGoal, id: UUID, mentorship: UUID, tasks: IDTable<TrackedTask>,
                         asOf: Timestamp) -> GoalProgress? {
        guard goal.setAt <= asOf else { return nil }
        var target = goal.target, deadline = goal.deadline
        var revisions = 0, easier = 0
        for revision in goal.revisions where revision.at <= asOf {
            revisions += 1
            if isEasier(baseline: goal.baseline, oldTarget: target, newTarget: revision.target,
                        oldDeadline: deadline, newDeadline: revision.deadline) { easier += 1 }
            if let t = revision.target { target = t }
            if let d = revision.deadline { deadline = d }
        }
        let achievedAt = goal.achievedAt.flatMap { $0 <= asOf ? $0 : nil }
        let abandonedAt = goal.abandonedAt.flatMap { $0 <= asOf ? $0 : nil }
        let status: GoalStatus = achievedAt != nil ? .achieved : abandonedAt != nil ? .abandoned : deadline < asOf ? .overdue : .active

        var latest: TrackedMeasurement?
        for m in goal.measurements where m.at <= asOf {
            if let current = latest, current.at > m.at || (current.at == m.at && current.position > m.position) { continue }
            latest = m
        }
        var linked = 0, completed = 0
        for taskID in goal.tasks {
            guard let task = tasks[taskID], task.isAssigned(asOf: asOf), !task.isCancelled(asOf: asOf) else { continue }
            linked += 1
            if task.isCompleted(asOf: asOf) { completed += 1 }
        }
        let basis: ProgressBasis
        let progress: Double
        if achievedAt != nil {
            basis = .achieved
            progress = 100
        } else if let latest {
            basis = .measurement
            progress = measuredPercent(value: latest.value, baseline: goal.baseline, target: target)
        } else if linked > 0 {
            basis = .tasks
            progress = Double(completed) / Double(linked) * 100
        } else {
            basis = ProgressBasis.none
            progress = 0
        }
        let expected = expectedPercent(setAt: goal.setAt, deadline: deadline, at: achievedAt ?? abandonedAt ?? asOf)
        let onTrack: Bool = switch status {
        case .achieved: true
        case .abandoned: false
        case .active, .overdue: isOnTrack(progress: progress, expected: expected)
        }
        return GoalProgress(goal: id, mentorship: mentorship, owner: goal.owner, status: status, setAt: goal.setAt,
                            baseline: goal.baseline, target: target, deadline: deadline, latestValue: latest?.value,
                            achievedAt: achievedAt, abandonedAt: abandonedAt, linkedTasks: linked,
                            completedLinkedTasks: completed, basis: basis, progressPercent: progress,
                            expectedPercent: expected, onTrack: onTrack, revisions: revisions, easierRevisions: easier)
    }
}
