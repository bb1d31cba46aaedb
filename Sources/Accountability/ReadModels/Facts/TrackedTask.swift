import EventLedger
import Foundation

/// A task: who must do it, by when, and when it was closed (its goal keeps the link).
struct TrackedTask: Sendable, Hashable {
    var assignee: UUID
    var assignedAt: Timestamp
    var due: Timestamp
    var completedAt: Timestamp?
    var cancelledAt: Timestamp?

    func isAssigned(asOf: Timestamp) -> Bool { assignedAt <= asOf }
    func isCompleted(asOf: Timestamp) -> Bool { completedAt.map { $0 <= asOf } ?? false }
    func isCancelled(asOf: Timestamp) -> Bool { cancelledAt.map { $0 <= asOf } ?? false }
}

extension IDTable<TrackedTask> {
    /// Folds a TaskAssigned (assigning a task id again replaces it), TaskCompleted or
    /// TaskCancelled (ignored for an unknown task).
    mutating func record(_ fact: TaskFact) {
        switch fact.change {
        case .assigned(let due, let assignee):
            assign(TrackedTask(assignee: assignee, assignedAt: fact.at, due: due), to: fact.task)
        case .completed:
            update(fact.task) { $0.completedAt = fact.at }
        case .cancelled:
            update(fact.task) { $0.cancelledAt = fact.at }
        }
    }
}
