/// What the caller believes about a stream when it appends: the optimistic-concurrency check.
///
/// Revisions count a stream's events from 0 without gaps; a stream's revision is that of its last
/// event.
public enum ExpectedRevision: Sendable, Hashable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must have no events yet.
    case noStream
    /// The stream must have at least one event.
    case exists
    /// The stream's last event must have exactly this revision.
    case revision(UInt64)

    public var description: String {
        switch self {
        case .any: "any revision"
        case .noStream: "no stream"
        case .exists: "an existing stream"
        case .revision(let revision): "revision \(revision)"
        }
    }

    /// Whether a stream at `actual` (`nil`: no events) satisfies this expectation.
    func isSatisfied(by actual: UInt64?) -> Bool {
        switch self {
        case .any: true
        case .noStream: actual == nil
        case .exists: actual != nil
        case .revision(let expected): actual == expected
        }
    }
}
