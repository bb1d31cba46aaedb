/// A red / amber / green rating of a health signal, a pair or a program.
public enum RAGStatus: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Healthy.
    case green
    /// Needs watching.
    case amber
    /// Needs action.
    case red

    /// A stable code for digests and ordering (0 green, 1 amber, 2 red).
    public var code: Int {
        switch self {
        case .green: 0
        case .amber: 1
        case .red: 2
        }
    }

    /// Green < amber < red.
    public static func < (lhs: RAGStatus, rhs: RAGStatus) -> Bool { lhs.code < rhs.code }
}

/// How many pairs are red, amber and green.
public struct RAGCounts: Sendable, Hashable, Codable {
    /// Red pairs.
    public var red: Int
    /// Amber pairs.
    public var amber: Int
    /// Green pairs.
    public var green: Int

    /// Creates counts.
    public init(red: Int = 0, amber: Int = 0, green: Int = 0) {
        self.red = red
        self.amber = amber
        self.green = green
    }

    /// Counts one more pair of `status`.
    public mutating func count(_ status: RAGStatus) {
        switch status {
        case .red: red += 1
        case .amber: amber += 1
        case .green: green += 1
        }
    }

    /// red + amber + green.
    public var total: Int { red + amber + green }
}
