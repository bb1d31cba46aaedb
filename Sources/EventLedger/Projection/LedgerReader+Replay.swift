extension LedgerReader {
    /// Folds the events `query` selects into `state` with `projection`, inside this read (one
    /// consistent snapshot).
    ///
    /// - Parameters:
    ///   - query: the records to look at: all, a stream, a type, from a position, up to a
    ///     recorded-at time or through a position (time travel).
    ///   - state: the state to continue from; the projection's initial state by default.
    /// - Throws: ``LedgerError/Code/corruptRecord`` naming the position of a damaged record or of
    ///   a payload the projection cannot decode; what the projection's `apply` throws.
    @inlinable
    public func replay<P: Projection>(_ projection: P, _ query: EventQuery = .all(), from state: P.State? = nil) throws -> ReplayResult<P.State> {
        var result = ReplayResult(state: state ?? projection.initialState, position: 0, eventsApplied: 0)
        (result.position, result.eventsApplied) = try fold(projection, query, into: &result.state)
        return result
    }

    /// Folds the events `query` selects into `state` in place; returns the position of the last
    /// record looked at and how many events were applied. The one replay loop: ``replay(_:_:from:)``
    /// and a ``PersistentProjection`` commit both run it.
    @inlinable
    func fold<P: Projection>(_ projection: P, _ query: EventQuery, into state: inout P.State) throws -> (position: UInt64, applied: UInt64) {
        let types = try ProjectionTypeMap(projection.eventTypes, reader: self)
        var position: UInt64 = 0, applied: UInt64 = 0
        try withEvents(query) { cursor in
            while let record = try cursor.next() {
                position = record.position
                guard let index = types.index(of: record.typeTag) else { continue }
                let event: P.Event
                do {
                    event = try projection.decode(typeIndex: index, record: record)
                } catch let error as LedgerError {
                    throw error
                } catch {
                    throw LedgerError(.corruptRecord, "projection '\(projection.name)' cannot decode the \(projection.eventTypes[index]) at position \(record.position): \(error)", position: record.position)
                }
                try projection.apply(event, record: record, to: &state)
                applied &+= 1
            }
        }
        return (position, applied)
    }
}

extension Ledger {
    /// Replays `projection` over the events `query` selects, in one consistent snapshot.
    ///
    /// "What did the ledger say as of 1 March" is one call:
    /// `try ledger.replay(model, .all().recorded(upTo: march1))`.
    @inlinable
    public func replay<P: Projection>(_ projection: P, _ query: EventQuery = .all(), from state: P.State? = nil) throws -> ReplayResult<P.State> {
        try read { reader in try reader.replay(projection, query, from: state) }
    }
}
