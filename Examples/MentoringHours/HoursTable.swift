import EventLedger

/// The mentoring hours a ``PersistentProjection`` of ``MentoringHoursProjection`` holds, read in
/// one snapshot: every mentor's months in key order (mentor, then month, as the CSV sorts them),
/// what was not counted, and the position they reflect.
struct HoursTable: Sendable {
    /// The position of the last event folded.
    let position: UInt64
    /// Sessions and minutes per mentor and month, sorted by mentor (lowercase id), then month.
    let rows: [(key: MentorMonth, totals: SessionTotals)]
    /// The held sessions not counted.
    let uncounted: UncountedSessions

    /// Reads the table from `view`: the totals rows by their key prefix, then the tallies' row.
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` for a row or key that does not decode.
    init(_ view: ProjectionView<MentoringHoursProjection>) throws {
        position = view.position
        rows = try view.rows(prefix: HoursKey.mentorMonths).map { entry in
            (key: try HoursKey.mentorMonth(from: entry.key), totals: try entry.row.totals(at: entry.key))
        }
        uncounted = try view.row(HoursKey.uncounted).map { try $0.uncounted(at: HoursKey.uncounted) } ?? UncountedSessions()
    }

    /// All sessions counted.
    var sessions: UInt64 { rows.reduce(0) { $0 + $1.totals.sessions } }
    /// All minutes counted.
    var minutes: UInt64 { rows.reduce(0) { $0 + $1.totals.minutes } }
    /// The mentors with a row.
    var mentorCount: Int { Set(rows.map(\.key.mentor)).count }
    /// The months with a row.
    var monthCount: Int { Set(rows.map(\.key.month)).count }
}
