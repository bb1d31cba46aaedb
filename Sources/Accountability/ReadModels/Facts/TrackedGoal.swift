import EventLedger
import Foundation

/// A goal: its SMART numbers when set, its revisions and measurements in log order, its closing.
struct TrackedGoal: Sendable, Hashable {
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
struct TrackedRevision: Sendable, Hashable {
    var at: Timestamp
    var target: Double?
    var deadline: Timestamp?
}

/// A GoalProgressRecorded (or a GoalAchieved's final value).
struct TrackedMeasurement: Sendable, Hashable {
    var at: Timestamp
    var position: UInt64
    var value: Double
}

extension IDTable<TrackedGoal> {
    /// Folds one goal fact: GoalSet (setting a goal id again replaces it); the others, and task
    /// links, are ignored for an unknown goal.
    mutating func record(_ fact: GoalFact) {
        let time = fact.at
        switch fact.change {
        case .set(let baseline, let target, let deadline, let owner):
            assign(TrackedGoal(owner: owner, setAt: time, baseline: baseline, target: target, deadline: deadline), to: fact.goal)
        case .revised(let target, let deadline):
            update(fact.goal) { $0.revisions.append(TrackedRevision(at: time, target: target, deadline: deadline)) }
        case .measured(let value, let position):
            update(fact.goal) { $0.measurements.append(TrackedMeasurement(at: time, position: position, value: value)) }
        case .achieved(let finalValue, let position):
            update(fact.goal) { goal in
                goal.achievedAt = time
                if let finalValue {
                    goal.measurements.append(TrackedMeasurement(at: time, position: position, value: finalValue))
                }
            }
        case .abandoned:
            update(fact.goal) { $0.abandonedAt = time }
        case .linked(let task):
            update(fact.goal) { $0.tasks.append(task) }
        }
    }
}
