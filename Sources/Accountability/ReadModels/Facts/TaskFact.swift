import EventLedger
import Foundation

/// A TaskAssigned, TaskCompleted or TaskCancelled, as `apply` appends it to a read model's task
/// column (folded into ``TrackedTask``s when a report is made). 64 bytes.
struct TaskFact: StreamFact, Sendable, Hashable, Codable {
    /// What happened to the task.
    enum Change: Sendable, Hashable, Codable {
        case assigned(due: Timestamp, assignee: UUID)
        case completed
        case cancelled
    }

    /// Occurred-at.
    var at: Timestamp
    var task: UUID
    var change: Change
    var stream: UInt64

    /// The fact of a task event of `stream`; `nil` for any other event.
    init?(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp) {
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
        self.stream = stream
    }
}
