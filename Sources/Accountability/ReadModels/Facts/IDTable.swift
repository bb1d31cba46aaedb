import Foundation

/// A map from UUID to `Value` in insertion order: the per-mentorship collections a record folds
/// (goals, tasks, sessions), a few to a few dozen entries each.
///
/// It behaves like `[UUID: Value]` (assigning an existing id replaces its value in place), but:
/// - lookups scan the keys (two integer comparisons each) from the newest entry, the one an event
///   usually refers to; past ``linearLimit`` entries an ``IDIndex`` takes over, so a long-lived
///   mentorship stays O(1) per lookup;
/// - there is no per-lookup hashing and no per-entry allocation;
/// - equality and hashing see the entries in insertion order, which a log determines (the index
///   is derived and never compared).
struct IDTable<Value> {
    /// The ids, in insertion order.
    private(set) var keys: [IDKey] = []
    /// The values, parallel to ``keys``.
    private(set) var values: [Value] = []
    /// Empty until the table outgrows ``linearLimit``.
    private var index = IDIndex()

    /// Up to this many entries, lookups scan.
    static var linearLimit: Int { 24 }

    /// An empty table.
    init() {}

    /// The slot of `id`, if present.
    func slot(of id: UUID) -> Int? { slot(of: IDKey(id)) }

    /// The slot of `key`, if present.
    func slot(of key: IDKey) -> Int? {
        if !index.isEmpty { return index.slot(of: key, in: keys) }
        var i = keys.count
        while i > 0 {
            i -= 1
            if keys[i] == key { return i }
        }
        return nil
    }

    /// The value of `id`, if present.
    subscript(id: UUID) -> Value? {
        slot(of: id).map { values[$0] }
    }

    /// The value in `slot`, read or mutated in place.
    subscript(slot slot: Int) -> Value {
        get { values[slot] }
        _modify { yield &values[slot] }
    }

    /// `self[id] = value`: replaces the value of `id` in place, or appends it.
    mutating func assign(_ value: Value, to id: UUID) {
        let key = IDKey(id)
        if let slot = slot(of: key) {
            values[slot] = value
        } else {
            append(value, key)
        }
    }

    /// `self[id]?.change()`: mutates the value of `id` in place; nothing when absent.
    mutating func update(_ id: UUID, _ change: (inout Value) -> Void) {
        guard let slot = slot(of: id) else { return }
        change(&values[slot])
    }

    /// `self[id, default: make()].change()`: mutates the value of `id` in place, appending
    /// `make()` first when absent.
    mutating func update(_ id: UUID, default make: () -> Value, _ change: (inout Value) -> Void) {
        let key = IDKey(id)
        let slot: Int
        if let existing = self.slot(of: key) {
            slot = existing
        } else {
            slot = keys.count
            append(make(), key)
        }
        change(&values[slot])
    }

    /// `self[id] = nil`: removes `id`, keeping the order of the others.
    mutating func remove(_ id: UUID) {
        guard let slot = slot(of: id) else { return }
        keys.remove(at: slot)
        values.remove(at: slot)
        if !index.isEmpty { index = keys.count > Self.linearLimit ? IDIndex(keys) : IDIndex() }
    }

    /// Removes every entry `remove` picks, keeping the order of the others (one pass, the index
    /// rebuilt once).
    mutating func removeAll(where remove: (UUID, Value) -> Bool) {
        var keptKeys: [IDKey] = [], keptValues: [Value] = []
        keptKeys.reserveCapacity(keys.count)
        keptValues.reserveCapacity(values.count)
        for slot in keys.indices where !remove(keys[slot].uuid, values[slot]) {
            keptKeys.append(keys[slot])
            keptValues.append(values[slot])
        }
        guard keptKeys.count != keys.count else { return }
        keys = keptKeys
        values = keptValues
        index = keys.count > Self.linearLimit ? IDIndex(keys) : IDIndex()
    }

    private mutating func append(_ value: Value, _ key: IDKey) {
        keys.append(key)
        values.append(value)
        if keys.count > Self.linearLimit { index.insert(keys.count - 1, keys) }
    }
}

extension IDTable: RandomAccessCollection {
    var startIndex: Int { 0 }
    var endIndex: Int { keys.count }
    /// The entry in slot `position`.
    subscript(position: Int) -> (id: UUID, value: Value) { (keys[position].uuid, values[position]) }
}

extension IDTable: Sendable where Value: Sendable {}

extension IDTable: Equatable where Value: Equatable {
    static func == (a: IDTable, b: IDTable) -> Bool { a.keys == b.keys && a.values == b.values }
}

extension IDTable: Hashable where Value: Hashable {
    func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}
