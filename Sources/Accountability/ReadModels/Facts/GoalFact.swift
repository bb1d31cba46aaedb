import EventLedger
import Foundation

/// A goal event (or a TaskAssigned towards a goal), as a ``MentorshipRecord`` folds it into its
/// ``TrackedGoal``s.
struct GoalFact: Sendable, Hashable {
    /// What happened to the goal; `position` is the event's log position (it orders
    /// measurements with the same occurred-at).
    enum Change: Sendable, Hashable {
        case set(baseline: Double, target: Double, deadline: Timestamp, owner: UUID)
        case revised(target: Double?, deadline: Timestamp?)
        case measured(value: Double, position: UInt64)
        case achieved(finalValue: Double?, position: UInt64)
        case abandoned
        /// A task assigned towards the goal.
        case linked(task: UUID)
    }

    /// Occurred-at.
    var at: Timestamp
    var goal: UUID
    var change: Change

    /// The fact of a goal event, or of a TaskAssigned with a goal; `nil` for any other event.
    init?(_ event: AccountabilityEvent, at time: Timestamp, position: UInt64) {
        switch event {
        case .goalSet(let e):
            (goal, change) = (e.goal, .set(baseline: e.metric.baseline, target: e.metric.target, deadline: e.deadline, owner: e.owner))
        case .goalRevised(let e):
            (goal, change) = (e.goal, .revised(target: e.target, deadline: e.deadline))
        case .goalProgressRecorded(let e):
            (goal, change) = (e.goal, .measured(value: e.value, position: position))
        case .goalAchieved(let e):
            (goal, change) = (e.goal, .achieved(finalValue: e.finalValue, position: position))
        case .goalAbandoned(let e):
            (goal, change) = (e.goal, .abandoned)
        case .taskAssigned(let e):
            guard let linked = e.goal else { return nil }
            (goal, change) = (linked, .linked(task: e.task))
        default:
            return nil
        }
        at = time
    }
}
