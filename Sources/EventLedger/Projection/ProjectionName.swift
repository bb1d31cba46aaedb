/// The rule every stored projection's name follows, checked where a checkpointed or persistent
/// projection is created: 1 to 200 UTF-8 bytes without NUL (the name is a key prefix in the
/// `checkpoints` database, and NUL separates it from what follows).
enum ProjectionName {
    /// Throws ``LedgerError/Code/invalidRequest`` naming `name` when it breaks the rule.
    static func check(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count <= 200, !name.utf8.contains(0) else {
            throw LedgerError(.invalidRequest, "projection name '\(name)' must be 1 to 200 UTF-8 bytes without NUL")
        }
    }
}
