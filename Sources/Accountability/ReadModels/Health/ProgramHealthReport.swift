public import EventLedger
public import Foundation

/// Program health as of one time: every pair started by asOf, every program, and the whole
/// ledger.
///
/// Lists are sorted by id (`uuidString`); ``digest`` covers every field in a fixed order, so the
/// same log and asOf always give the same digest.
public struct ProgramHealthReport: Sendable, Hashable, Codable {
    /// The time the report is evaluated at.
    public var asOf: Timestamp
    /// Every pair in the ledger together (``ProgramHealth/program`` is `nil`).
    public var overall: ProgramHealth
    /// Per program id, sorted by program id.
    public var programs: [ProgramHealth]
    /// Per pair, sorted by mentorship id.
    public var pairs: [PairHealth]

    /// Computes the report of `state` as of `asOf`.
    public init(state: ProgramHealthState, asOf: Timestamp) {
        self.init(records: state.records.inStartOrder, asOf: asOf)
    }

    /// Computes the report of the mentorships whose records are `records` as of `asOf` (one
    /// record alone gives that pair's entry): only facts whose occurred-at is at or before
    /// `asOf` count; a mentorship that started after `asOf` is not reported.
    public init(records: some Sequence<MentorshipRecord>, asOf: Timestamp) {
        self.asOf = asOf
        var started: [PairHealthFacts] = []
        for record in records where record.pair.startedAt <= asOf { started.append(PairHealthFacts(record: record)) }
        let pairs = started
            .sorted { $0.mentorship.precedes($1.mentorship) }
            .map { PairHealth($0, asOf: asOf) }
        self.pairs = pairs
        overall = ProgramHealth(program: nil, pairs: pairs)
        let byProgram = Dictionary(grouping: pairs, by: \.program)
        programs = byProgram.keys
            .sorted { $0.precedes($1) }
            .map { ProgramHealth(program: $0, pairs: byProgram[$0] ?? []) }
    }

    /// The pair with this mentorship id; `nil` when it had not started by asOf.
    public func pair(_ mentorship: UUID) -> PairHealth? {
        pairs.first { $0.mentorship == mentorship }
    }

    /// The health of one program; `nil` when none of its pairs had started by asOf.
    public func program(_ id: UUID) -> ProgramHealth? {
        programs.first { $0.program == id }
    }

    /// RAG counts of the pairs not ended at asOf, over the whole ledger.
    public var ragCounts: RAGCounts { overall.ragCounts }

    /// SHA-256 (hex) of the report: asOf, overall, every program, every pair, in list order, each
    /// field in declaration order (optionals with a presence byte, lists with their count).
    public var digest: String {
        var digest = CanonicalDigest()
        digest.add("accountability.health/1")
        digest.add(asOf)
        overall.addFields(to: &digest)
        digest.add(programs.count)
        for program in programs { program.addFields(to: &digest) }
        digest.add(pairs.count)
        for pair in pairs { pair.addFields(to: &digest) }
        return digest.finalize()
    }
}
