public import EventLedger
public import Foundation

/// Everything the built-in models say about one program at one time: its health and goal
/// rollup, and its pairs.
public struct ProgramAnswer: Sendable, Hashable {
    /// When the metrics are evaluated.
    public var asOf: Timestamp
    /// The program.
    public var program: UUID
    /// Its health: active pairs, activation, RAG (nil when no pair had started by `asOf`).
    public var health: ProgramHealth?
    /// Its goals, rolled up (nil when it has none).
    public var progress: GoalRollup?
    /// The five reports over its pairs (each pair's rows, the red and amber ones, the nudges).
    public var reports: AccountabilityReports

    /// The answer for `program` from the records of its mentorships.
    init(program: UUID, records: [MentorshipRecord], asOf: Timestamp) {
        reports = AccountabilityReports(records: records, asOf: asOf)
        self.asOf = asOf
        self.program = program
        health = reports.health.program(program)
        progress = reports.progress.programs[program]
    }
}
