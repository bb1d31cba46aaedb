public import EventLedger
public import Foundation

/// A deterministic, seeded simulation of a mentoring program: N mentorships over M months with a
/// realistic mix of behaviours.
///
/// Half the pairs are steady; the rest fade and ghost (and are ended for inactivity), are prone to
/// no-shows, are late with their tasks, or are a bad fit (low ratings, ended early). Along the way
/// goals are set, revised (easier and harder), abandoned and achieved; sessions are scheduled,
/// held, cancelled with long or short notice and missed; tasks are done on time, late, never or
/// cancelled; feedback of varying ratings is given; pairs pause and resume; and the system sends
/// nudges. Every event type of the catalogue appears in a default run.
///
/// Every command is checked with ``MentorshipRules`` as it is produced, so the log is one the
/// library itself would accept. The same configuration gives the same events, ids and times, and
/// written with ``write(into:clock:)`` into an empty ledger, the same head hash, byte for byte.
public struct ProgramSimulator: Sendable {
    /// What is simulated.
    public let config: SimulationConfig
    let context: SimulationContext

    /// The simulated program's id.
    public var program: UUID { context.program }
    /// The program admin (records starts and some endings).
    public var admin: UUID { context.admin }
    /// The host's system account (records nudges and endings for inactivity).
    public var systemAccount: UUID { context.systemAccount }
    /// The admins to use with ``AccountabilityLedger`` for the simulated program.
    public var admins: ProgramAdmins { context.admins }

    /// Creates a simulator.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` for a configuration out of range.
    public init(_ config: SimulationConfig) throws {
        try config.validate()
        self.config = config
        var random = SeededGenerator(seed: config.seed)
        let program = random.uuid()
        let admin = random.uuid()
        let system = random.uuid()
        context = SimulationContext(config: config, program: program, admin: admin, systemAccount: system,
                                    admins: ProgramAdmins(global: [system], byProgram: [program: [admin]]))
    }

    /// Runs the simulation, calling `body` with each day that has events, in order.
    ///
    /// - Throws: what `body` throws; an ``AccountabilityError`` would mean the simulator produced a
    ///   command the rules reject (a bug, reported rather than written).
    public func run(_ body: (SimulatedDay) throws -> Void) throws {
        var pairs = (0..<config.mentorships).map { SimulatedPair(index: $0, context: context) }
        for day in 0..<config.days {
            var commands: [MentorshipCommand] = []
            var appends: [StreamAppend] = []
            for index in pairs.indices {
                let before = pairs[index].state.revision
                try pairs[index].step(day: day)
                guard !pairs[index].commands.isEmpty else { continue }
                let produced = pairs[index].commands
                pairs[index].commands.removeAll(keepingCapacity: true)
                commands += produced
                appends.append(StreamAppend(stream: MentorshipStream.name(of: pairs[index].id),
                                            expectedRevision: before.map { .revision($0) } ?? .noStream,
                                            events: try produced.map { try $0.proposedEvent() }))
            }
            if !commands.isEmpty {
                let closesAt = config.start.adding(seconds: Double(day + 1) * 86_400 - 1)
                try body(SimulatedDay(day: day, closesAt: closesAt, commands: commands, appends: appends))
            }
        }
    }

    /// Runs the simulation into `ledger`, one atomic append per day, recorded at the day's close
    /// on `clock` (which must be the ledger's clock for the log to be reproducible).
    ///
    /// - Parameter progress: called after each day with the day's index.
    /// - Returns: counts by type and the head.
    @discardableResult
    public func write(into ledger: Ledger, clock: ManualClock, progress: ((Int) -> Void)? = nil) throws -> SimulationReport {
        var counts: [String: Int] = [:]
        try run { day in
            clock.set(day.closesAt)
            try ledger.append(day.appends)
            for command in day.commands { counts[command.event.eventType, default: 0] += 1 }
            progress?(day.day)
        }
        return SimulationReport(config: config, eventsByType: counts, head: try ledger.head())
    }
}
