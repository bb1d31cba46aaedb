/// Stateless field checks shared by the events' `validate()`.
enum FieldCheck {
    /// The longest short text (titles, metric names, units), in characters.
    static let shortTextLimit = 200
    /// The longest free text (reasons, rationales, notes, comments, evidence), in UTF-8 bytes.
    static let longTextLimit = 4_000

    static func shortText(_ value: String, _ field: String, rule: AccountabilityRule = .invalidText) throws(AccountabilityError) {
        if value.allSatisfy(\.isWhitespace) {
            throw AccountabilityError(rule, field: field, "\(field) must not be empty")
        }
        if value.count > shortTextLimit {
            throw AccountabilityError(.invalidText, field: field, "\(field) is \(value.count) characters; the limit is \(shortTextLimit)")
        }
    }

    static func longText(_ value: String, _ field: String, required: Bool, rule: AccountabilityRule = .invalidText) throws(AccountabilityError) {
        if required, value.allSatisfy(\.isWhitespace) {
            throw AccountabilityError(rule, field: field, "\(field) must not be empty")
        }
        if value.utf8.count > longTextLimit {
            throw AccountabilityError(.invalidText, field: field, "\(field) is \(value.utf8.count) bytes; the limit is \(longTextLimit)")
        }
    }

    static func finite(_ value: Double, _ field: String, rule: AccountabilityRule = .invalidNumber) throws(AccountabilityError) {
        guard value.isFinite else {
            throw AccountabilityError(rule, field: field, "\(field) must be a finite number, not \(value)")
        }
    }

    static func minutes(_ value: Int, _ field: String) throws(AccountabilityError) {
        guard (1...720).contains(value) else {
            throw AccountabilityError(.invalidDuration, field: field, "\(field) is \(value); a session lasts 1 to 720 minutes")
        }
    }
}
