public import EventLedger

/// What a simulation wrote.
public struct SimulationReport: Sendable {
    /// The configuration simulated.
    public let config: SimulationConfig
    /// Events written, by type name.
    public let eventsByType: [String: Int]
    /// The ledger's head after the last day.
    public let head: LedgerHead

    /// The number of events written.
    public var eventCount: Int { eventsByType.values.reduce(0, +) }
}
