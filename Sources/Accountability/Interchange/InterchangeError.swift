/// A line of the interchange format (Docs/ExportFormat.md) that cannot be read: the field at fault
/// and why. Nothing from the file it came from is written.
public struct InterchangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line number in the file, when the error is about a line of a file.
    public var line: Int?
    /// The ledger position the line shows, when the line is an export line.
    public var position: UInt64?
    /// The field at fault, as a path: `type`, `occurredAt`, `data.metric.target`, or `line` for
    /// the line as a whole (not JSON, too long, not UTF-8).
    public let field: String
    /// A sentence saying what is wrong.
    public let reason: String

    /// Creates an error.
    public init(line: Int? = nil, field: String, _ reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    /// The same error, naming `line`.
    public func at(line: Int) -> InterchangeError {
        var error = InterchangeError(line: line, field: field, reason)
        error.position = position
        return error
    }

    /// The same error, naming the ledger position `position`.
    public func at(position: UInt64?) -> InterchangeError {
        var error = self
        error.position = position ?? self.position
        return error
    }

    public var description: String {
        let place = line.map { "line \($0): " } ?? ""
        let at = position.map { "position \($0), " } ?? ""
        return "\(place)\(at)\(field): \(reason)"
    }
}
