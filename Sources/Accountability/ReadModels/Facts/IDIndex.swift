/// An open-addressing hash index over an ``IDTable``'s keys (slot + 1 per bucket, 0 empty),
/// built once a table outgrows linear scanning. Derived data: rebuilt, never stored.
struct IDIndex: Sendable {
    private var buckets: [Int32] = []

    /// No index.
    init() {}

    /// An index over every key.
    init(_ keys: [IDKey]) {
        var capacity = 64
        while capacity < keys.count * 2 { capacity *= 2 }
        buckets = Array(repeating: 0, count: capacity)
        for slot in keys.indices { place(slot, keys[slot]) }
    }

    var isEmpty: Bool { buckets.isEmpty }

    /// The slot of `key` among `keys`, if present.
    func slot(of key: IDKey, in keys: [IDKey]) -> Int? {
        let mask = buckets.count - 1
        var bucket = Int(truncatingIfNeeded: key.mixed) & mask
        while true {
            let entry = Int(buckets[bucket])
            if entry == 0 { return nil }
            if keys[entry - 1] == key { return entry - 1 }
            bucket = (bucket + 1) & mask
        }
    }

    /// Indexes `keys[slot]`, the newest key (growing, or building the index, as needed).
    mutating func insert(_ slot: Int, _ keys: [IDKey]) {
        if buckets.isEmpty || (slot + 1) * 2 > buckets.count {
            self = IDIndex(keys)
        } else {
            place(slot, keys[slot])
        }
    }

    private mutating func place(_ slot: Int, _ key: IDKey) {
        let mask = buckets.count - 1
        var bucket = Int(truncatingIfNeeded: key.mixed) & mask
        while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
        buckets[bucket] = Int32(truncatingIfNeeded: slot + 1)
    }
}
