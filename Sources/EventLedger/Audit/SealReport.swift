/// What ``Ledger/verifySeals(with:progress:)`` found: the ordinary verification, then each seal
/// checked against the key and the chain.
public struct SealReport: Sendable, Hashable {
    /// The chain, records and indexes (``Ledger/verify(progress:)``).
    public let verification: VerificationReport
    /// The seals whose MAC the key makes and whose hash is the chain's at their position.
    public let validSeals: [HeadSeal]
    /// The first seal that does not hold, and why; `nil` when every seal holds.
    public let firstBadSeal: (seal: HeadSeal, reason: String)?

    /// The newest valid seal: everything up to its position is proven unchanged since it was sealed.
    public var lastSealed: HeadSeal? { validSeals.last }

    /// Intact, at least one seal, and every seal holds.
    public var isIntact: Bool { verification.isIntact && firstBadSeal == nil && !validSeals.isEmpty }

    public static func == (lhs: SealReport, rhs: SealReport) -> Bool {
        lhs.verification == rhs.verification && lhs.validSeals == rhs.validSeals
            && lhs.firstBadSeal?.seal == rhs.firstBadSeal?.seal && lhs.firstBadSeal?.reason == rhs.firstBadSeal?.reason
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(verification)
        hasher.combine(validSeals)
        hasher.combine(firstBadSeal?.seal)
    }
}
