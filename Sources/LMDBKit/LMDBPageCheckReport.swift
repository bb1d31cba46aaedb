/// What a page check of an environment found: how much it walked, and the damage.
///
/// Returned by ``LMDBEnvironment/checkPages()``; the check at open is kept in
/// ``LMDBEnvironment/pageFaults``.
public struct LMDBPageCheckReport: Sendable, Hashable {
    /// The transaction id of the snapshot that was checked.
    public let transaction: UInt64
    /// Branch pages walked, over all trees.
    public let branchPages: Int
    /// Leaf pages walked, over all trees.
    public let leafPages: Int
    /// Overflow pages (of large values) whose headers were checked, over all trees.
    public let overflowPages: Int
    /// Key/value pairs whose nodes were checked, over all trees.
    public let entries: Int
    /// Page numbers listed in the free list, each checked to be in range and not in use.
    public let freePages: Int
    /// The first damage found in each database, in the order the check walked them (the main
    /// tree, the named databases in name order, then the free list). Empty when the file is intact.
    public let faults: [LMDBPageFault]

    /// Whether no damage was found.
    public var isIntact: Bool { faults.isEmpty }
}
