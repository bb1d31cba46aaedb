import EventLedger
import Foundation

/// A TaskAssigned, TaskCompleted or TaskCancelled, as a ``MentorshipRecord`` folds it into its
/// ``TrackedTask``s.
struct TaskFact: Sendable, Hashable {
    /// What happened to the task.
    enum Change: Sendable, Hashable {
        case assigned(due: Timestamp, assignee: UUID)
        case completed
        case cancelled
    }

    /// Occurred-at.
    var at: Timestamp
    var task: UUID
    var change: Change

    /// The fact of a task event; `nil` for any other event.
    init?(_ event: AccountabilityEvent, at time: Timestamp) {
        switch event {
        case .taskAssigned(let e):
            (task, change) = (e.task, .assigned(due: e.due, assignee: e.assignee))
        case .taskCompleted(let e):
            (task, change) = (e.task, .completed)
        case .taskCancelled(let e):
            (task, change) = (e.task, .cancelled)
        default:
            return nil
        }
        at = time
    }
}
