public import EventLedger
public import Foundation

/// A task as the mentorship's state knows it.
public struct TaskState: Sendable, Hashable {
    /// Where the task is.
    public enum Status: Sendable, Hashable {
        /// Assigned, not done.
        case open
        /// Done.
        case completed
        /// Dropped.
        case cancelled
    }
    /// The task's id.
    public let task: UUID
    /// When it was assigned.
    public let assignedAt: Timestamp
    /// Who must do it.
    public let assignee: UUID
    /// When it is due.
    public let due: Timestamp
    /// The goal it serves, if any.
    public let goal: UUID?
    /// Where it is.
    public var status: Status
}
