public import Foundation

/// Who a due nudge is for.
public enum NudgeRecipient: Sendable, Hashable, Codable {
    /// The mentor or the mentee (or a goal's owner, a task's assignee).
    case participant(UUID)
    /// Every admin of the program: the host decides which admin gets it. A NudgeSent to any of
    /// the program's admins (any recipient) answers it.
    case programAdmins(program: UUID)

    /// The participant, for ``participant(_:)``.
    public var participant: UUID? {
        if case .participant(let id) = self { return id }
        return nil
    }

    /// A sort key: participants (by uuidString) before program admins.
    var sortKey: String {
        switch self {
        case .participant(let id): "0" + id.uuidString
        case .programAdmins(let program): "1" + program.uuidString
        }
    }
}

// NudgeRule is stored as one byte in payloads; in reports (JSON) it is its raw value.
extension NudgeRule: Codable {}
