/// Where a ``PersistentProjection``'s stored rows stand against the log.
public struct ProjectionStatus: Sendable, Hashable {
    /// The projection's name.
    public var name: String
    /// The version this instance folds.
    public var version: UInt32
    /// The version of the rows stored under the name, nil when nothing of the keyed kind is.
    public var storedVersion: UInt32?
    /// The position the stored rows of ``version`` reflect (0 when there are none).
    public var position: UInt64
    /// The log's head position.
    public var headPosition: UInt64
    /// The position a rebuild of ``version`` under way has reached, when one is.
    public var rebuildPosition: UInt64?

    /// Events the stored rows are behind the head.
    public var lag: UInt64 { headPosition > position ? headPosition - position : 0 }
    /// Whether the stored rows are of ``version`` and at the head.
    public var isCurrent: Bool { storedVersion == version && position >= headPosition }

    /// Creates a status.
    public init(name: String, version: UInt32, storedVersion: UInt32?, position: UInt64, headPosition: UInt64, rebuildPosition: UInt64?) {
        self.name = name
        self.version = version
        self.storedVersion = storedVersion
        self.position = position
        self.headPosition = headPosition
        self.rebuildPosition = rebuildPosition
    }
}
