/// The newest point of the log.
public struct LedgerHead: Sendable, Hashable {
    /// The last position (0 when the log is empty).
    public let position: UInt64
    /// The chain hash of the last record (``ChainHash/genesis`` when empty).
    public let hash: ChainHash
    /// When the last record was recorded (`nil` when empty).
    public let recordedAt: Timestamp?

    /// Creates a head.
    public init(position: UInt64, hash: ChainHash, recordedAt: Timestamp?) {
        self.position = position
        self.hash = hash
        self.recordedAt = recordedAt
    }
}
