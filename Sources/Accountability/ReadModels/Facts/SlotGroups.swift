/// A fact of one mentorship stream, as a read model's `apply` appends it to a fact column.
protocol StreamFact {
    /// The stream (``EventLedger/EventRecord/streamKey``) of the event.
    var stream: UInt64 { get }
}

/// The offsets of a fact column's facts grouped by the slot owning them
/// (``MentorshipSlots/owner(ofFactAt:column:stream:)``), log order kept within each slot (a
/// counting sort): how a report gathers one mentorship's facts from columns that `apply` only
/// appended to. Facts no slot owns are left out.
struct SlotGroups {
    /// `starts[slot] ..< starts[slot + 1]` is the slot's range in ``order``.
    private var starts: [Int]
    /// Fact offsets, grouped by slot.
    private var order: [Int]

    /// Groups `facts`, fact column number `column` of the read model whose mentorships are
    /// `mentorships`.
    init<Facts: Collection>(_ facts: Facts, column: Int, of mentorships: MentorshipSlots)
    where Facts.Element: StreamFact, Facts.Index == Int {
        let slots = mentorships.count
        var owners = Array(repeating: -1, count: facts.count)
        var starts = Array(repeating: 0, count: slots + 1)
        for offset in facts.indices {
            guard let slot = mentorships.owner(ofFactAt: offset, column: column, stream: facts[offset].stream) else { continue }
            owners[offset] = slot
            starts[slot + 1] += 1
        }
        for slot in 0..<slots { starts[slot + 1] += starts[slot] }
        var next = starts
        var order = Array(repeating: 0, count: starts[slots])
        for (offset, slot) in owners.enumerated() where slot >= 0 {
            order[next[slot]] = offset
            next[slot] += 1
        }
        self.starts = starts
        self.order = order
    }

    /// The offsets of the facts of `slot`, in log order.
    subscript(slot: Int) -> ArraySlice<Int> { order[starts[slot]..<starts[slot + 1]] }
}
