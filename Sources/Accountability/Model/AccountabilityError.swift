public import Foundation

/// A command that was rejected: the rule it broke and the field at fault. Nothing was written.
public struct AccountabilityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule that was broken.
    public let rule: AccountabilityRule
    /// The field at fault, as named in the event (`title`, `metric.target`, `rating`…), or
    /// `actor` for authorisation and `event` for the mentorship's lifecycle.
    public let field: String
    /// A sentence saying what is wrong.
    public let message: String
    /// The mentorship the command was for, when known.
    public let mentorship: UUID?

    /// Creates a rejection.
    public init(_ rule: AccountabilityRule, field: String, _ message: String, mentorship: UUID? = nil) {
        self.rule = rule
        self.field = field
        self.message = message
        self.mentorship = mentorship
    }

    /// The same rejection, naming `mentorship`.
    func about(_ mentorship: UUID) -> AccountabilityError {
        AccountabilityError(rule, field: field, message, mentorship: mentorship)
    }

    public var description: String {
        var text = "\(rule) (\(field)): \(message)"
        if let mentorship { text += " [mentorship \(mentorship.uuidString.lowercased())]" }
        return text + "; nothing was written"
    }
}
