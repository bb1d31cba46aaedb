/// A ``KeyedProjection`` run as a plain ``Projection`` whose state is its rows: the in-memory
/// path (``Ledger/replay(keyed:_:)``), and the fold inside each ``PersistentProjection`` commit.
struct KeyedFold<P: KeyedProjection>: Projection {
    let keyed: P

    var name: String { keyed.name }
    var version: UInt32 { keyed.version }
    var eventTypes: [String] { keyed.eventTypes }
    var initialState: ProjectionRows<P.Row> { ProjectionRows(name: keyed.name) }

    func decode(typeIndex: Int, record: EventRecord) throws -> P.Event {
        try keyed.decode(typeIndex: typeIndex, record: record)
    }

    func apply(_ event: P.Event, record: EventRecord, to state: inout ProjectionRows<P.Row>) throws {
        try keyed.apply(event, record: record, to: &state)
    }
}

extension Ledger {
    /// Folds `projection` in memory over the events `query` selects, in one consistent snapshot:
    /// every row it makes, nothing stored. This is the path for time travel ("as of 1 March":
    /// `.all().recorded(upTo: march1)`, or `.all().through(position: n)`) and for a ledger
    /// opened read-only; it runs the same `apply` as ``PersistentProjection``.
    public func replay<P: KeyedProjection>(keyed projection: P, _ query: EventQuery = .all()) throws -> ReplayResult<ProjectionRows<P.Row>> {
        try replay(KeyedFold(keyed: projection), query)
    }
}
