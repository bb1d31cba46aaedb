/// Stream key → mentorship slot. The ledger allocates stream keys densely from 1
/// (``EventLedger/EventRecord/streamKey``), so the key indexes an array (4 bytes per stream key,
/// mentorship or not): one load finds a mentorship. Keys past ``denseLimit`` (never allocated by a
/// ledger of fewer streams) fall back to a dictionary. Derived data: never compared or stored.
struct StreamSlotIndex: Sendable {
    /// Slot + 1 per key below ``denseLimit``; 0 when the stream has no mentorship.
    private var slotByKey: [UInt32] = []
    /// Slots of keys at or past ``denseLimit``.
    private var overflow: [UInt64: Int] = [:]

    /// Keys below this are found by indexing (at most 64 MB of slots).
    static var denseLimit: UInt64 { 1 << 24 }

    /// No stream.
    init() {}

    /// The slot of `key`, if it has one.
    @inline(__always)
    func slot(of key: UInt64) -> Int? {
        if key < UInt64(slotByKey.count) {
            let entry = Int(slotByKey[Int(key)])
            return entry == 0 ? nil : entry - 1
        }
        if key < Self.denseLimit { return nil }
        return overflow[key]
    }

    /// Maps `key` to `slot` (replacing its previous slot).
    mutating func set(_ slot: Int, for key: UInt64) {
        guard key < Self.denseLimit else {
            overflow[key] = slot
            return
        }
        let dense = Int(key)
        if dense >= slotByKey.count {
            slotByKey.append(contentsOf: repeatElement(0, count: dense + 1 - slotByKey.count))
        }
        slotByKey[dense] = UInt32(truncatingIfNeeded: slot + 1)
    }
}
