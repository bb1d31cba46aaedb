public import Foundation

/// Who administers which program: the people (or system accounts) allowed to record any event of
/// a program's mentorships, and the only ones who may record ``NudgeSent`` or end a mentorship as
/// `admin` or `system`.
///
/// The host program owns this list (it comes from its user directory); commands are checked
/// against it when they are recorded.
public struct ProgramAdmins: Sendable, Hashable {
    /// Admins of every program (for example the host's automation account).
    public var global: Set<UUID>
    /// Admins per program.
    public var byProgram: [UUID: Set<UUID>]

    /// Creates the list.
    public init(global: Set<UUID> = [], byProgram: [UUID: Set<UUID>] = [:]) {
        self.global = global
        self.byProgram = byProgram
    }

    /// Nobody is an admin.
    public static let none = ProgramAdmins()

    /// Whether `person` administers `program`.
    public func isAdmin(_ person: UUID, of program: UUID) -> Bool {
        global.contains(person) || byProgram[program]?.contains(person) == true
    }
}
