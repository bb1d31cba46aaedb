public import EventLedger
public import Foundation

/// A goal as the mentorship's state knows it.
public struct GoalState: Sendable, Hashable {
    /// Open, achieved or abandoned.
    public enum Status: Sendable, Hashable {
        /// Being worked on.
        case active
        /// Met.
        case achieved
        /// Given up.
        case abandoned
    }
    /// The goal's id.
    public let goal: UUID
    /// Whose goal it is.
    public let owner: UUID
    /// When it was set (occurred-at of GoalSet).
    public let setAt: Timestamp
    /// The baseline.
    public let baseline: Double
    /// The current target (after revisions).
    public var target: Double
    /// The current deadline (after revisions).
    public var deadline: Timestamp
    /// The latest measured value, if any.
    public var latestValue: Double?
    /// Open, achieved or abandoned.
    public var status: Status
}
