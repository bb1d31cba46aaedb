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

    /// Report order: participants (by id, in `uuidString` order) before program admins (by
    /// program).
    static func precedes(_ a: NudgeRecipient, _ b: NudgeRecipient) -> Bool {
        switch (a, b) {
        case (.participant(let x), .participant(let y)), (.programAdmins(let x), .programAdmins(let y)): x.precedes(y)
        case (.participant, .programAdmins): true
        case (.programAdmins, .participant): false
        }
    }
}

// NudgeRule is stored as one byte in payloads; in reports (JSON) it is its raw value.
extension NudgeRule: Codable {}
