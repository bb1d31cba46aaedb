import EventLedger
import Foundation

/// What every simulated pair shares: the configuration, the program and its admins.
struct SimulationContext: Sendable {
    let config: SimulationConfig
    let program: UUID
    let admin: UUID
    let systemAccount: UUID
    let admins: ProgramAdmins
}
