/// The result of ``Ledger/verify(progress:)``.
public struct VerificationReport: Sendable, Hashable {
    /// Records checked before the walk ended (all of them when the ledger is intact).
    public let eventsChecked: UInt64
    /// The head the walk computed (last position and recomputed chain hash).
    public let head: LedgerHead
    /// Streams seen.
    public let streamCount: Int
    /// Payloads decoded with their registered codec.
    public let payloadsDecoded: UInt64
    /// Payloads of types not registered in this process, checked at the envelope level only.
    public let payloadsNotDecoded: UInt64
    /// The first fault, or `nil` when every check passed.
    public let firstFault: VerificationFault?

    /// Whether every check passed.
    public var isIntact: Bool { firstFault == nil }
}
