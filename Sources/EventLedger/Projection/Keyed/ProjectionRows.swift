/// The rows a ``KeyedProjection`` reads and changes while it folds events.
///
/// In memory it holds every row. For a ``PersistentProjection`` it holds the rows this catch-up
/// has touched: a row not yet seen is loaded from the ledger on first access, and the rows
/// changed are written back, with the new position, in one transaction.
public struct ProjectionRows<Row: ProjectionRow> {
    /// A row as last read or written, and whether it changed since it was stored.
    struct Slot {
        var row: Row?
        var dirty: Bool
    }

    var slots: [RowKey: Slot]
    /// Loads a row not in `slots`; nil for an in-memory fold (every row is in `slots`).
    var loader: ((RowKey) throws -> Row?)?
    /// Whether changed rows are tracked, to be stored (persisted folds only).
    let tracksChanges: Bool
    /// The keys whose rows changed since they were stored (persisted folds only).
    private(set) var dirtyKeys: [RowKey] = []
    /// The name of the projection, for errors.
    let name: String

    /// An in-memory set of rows: every row is held, none is loaded or stored.
    init(name: String) {
        self.name = name
        self.slots = [:]
        self.loader = nil
        self.tracksChanges = false
    }

    /// Rows of a persisted projection: `slots` are rows already known as stored.
    init(name: String, slots: [RowKey: Slot], loader: @escaping (RowKey) throws -> Row?) {
        self.name = name
        self.slots = slots
        self.loader = loader
        self.tracksChanges = true
    }

    /// The row under `key`, or nil.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` for an overflowed key;
    ///   ``LedgerError/Code/corruptRecord`` when a stored row cannot be decoded.
    public mutating func row(_ key: RowKey) throws -> Row? {
        try slot(key)
        return slots[key]?.row
    }

    /// Stores `row` under `key`; nil removes the row.
    public mutating func set(_ row: Row?, for key: RowKey) throws {
        try check(key)
        if tracksChanges, slots[key]?.dirty != true { dirtyKeys.append(key) }
        slots[key] = Slot(row: row, dirty: true)
    }

    /// Changes the row under `key` in place, creating it from `default` when there is none.
    @discardableResult
    public mutating func update<R>(_ key: RowKey, default make: @autoclosure () -> Row, _ body: (inout Row) throws -> R) throws -> R {
        try slot(key)
        return try mutate(key) { row in
            // Taken out of the slot, so the row's storage has one owner while `body` changes it.
            var current = row.take() ?? make()
            defer { row = current }
            return try body(&current)
        }
    }

    /// Changes the row under `key` in place when there is one; returns nil (and changes
    /// nothing) when there is none.
    @discardableResult
    public mutating func updateIfPresent<R>(_ key: RowKey, _ body: (inout Row) throws -> R) throws -> R? {
        try slot(key)
        guard slots[key]?.row != nil else { return nil }
        return try mutate(key) { row in
            guard var current = row.take() else { return nil }
            defer { row = current }
            return try body(&current)
        }
    }

    /// Removes the row under `key`.
    public mutating func remove(_ key: RowKey) throws { try set(nil, for: key) }

    /// Every row held (in memory: every row), in key order.
    public var rows: [(key: RowKey, row: Row)] {
        slots.compactMap { key, slot in slot.row.map { (key, $0) } }.sorted { $0.key < $1.key }
    }

    /// The number of rows held.
    public var count: Int { slots.values.reduce(0) { $0 + ($1.row == nil ? 0 : 1) } }

    // MARK: - Internals

    private mutating func mutate<R>(_ key: RowKey, _ body: (inout Row?) throws -> R) rethrows -> R {
        var wasStored = false
        defer { if tracksChanges, wasStored { dirtyKeys.append(key) } }
        // In place, in one lookup: the dictionary yields the slot's storage, so the row is never
        // copied, and the slot is marked changed in the same access.
        return try Self.change(&slots[key, default: Slot(row: nil, dirty: false)], wasStored: &wasStored, body)
    }

    /// Marks `slot` changed (`wasStored`: it was not already) and runs `body` on its row.
    private static func change<R>(_ slot: inout Slot, wasStored: inout Bool, _ body: (inout Row?) throws -> R) rethrows -> R {
        wasStored = !slot.dirty
        slot.dirty = true
        return try body(&slot.row)
    }

    private func check(_ key: RowKey) throws {
        guard !key.overflowed else {
            throw LedgerError(.invalidRequest, "projection '\(name)' used a row key longer than \(RowKey.maximumLength) bytes")
        }
    }

    private mutating func slot(_ key: RowKey) throws {
        try check(key)
        // By index: comparing `slots[key]` with nil would copy the slot's row.
        guard slots.index(forKey: key) == nil, let loader else { return }
        slots[key] = Slot(row: try loader(key), dirty: false)
    }

    /// The rows changed since they were stored, in key order.
    var changed: [(key: RowKey, row: Row?)] {
        dirtyKeys.sorted().map { ($0, slots[$0]?.row) }
    }

    /// Marks every row as stored.
    mutating func markStored() {
        for key in dirtyKeys { slots[key]?.dirty = false }
        dirtyKeys.removeAll(keepingCapacity: true)
    }
}

extension ProjectionRows.Slot: Sendable {}
