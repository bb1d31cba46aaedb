import EventLedger
import Foundation

/// A user-defined event: a mentee reached a milestone in their mentorship.
///
/// It is not one of the built-in mentorship events: it is registered next to them
/// (`EventTypeRegistry.accountability()`, then `register(MilestoneReached.self)`) and stored on
/// the mentorship's own stream. ``AccountabilityLedger`` skips it when it folds a mentorship's
/// state (it still counts towards the stream's revision).
///
/// Payload (schema version 1): kind (1 byte), mentee (16 bytes), title (length-prefixed UTF-8),
/// goal (presence byte, then 16 bytes).
struct MilestoneReached: LedgerEvent, Hashable {
    static let eventType = "MilestoneReached"
    /// The longest title, in characters.
    static let maximumTitleLength = 200

    /// What kind of milestone it is.
    enum Kind: UInt8, Sendable, Hashable, CaseIterable {
        /// A number of sessions held (3: the pair is activated; 10).
        case sessions = 1
        /// A goal was achieved.
        case goalAchieved = 2
    }

    /// What kind of milestone.
    var kind: Kind
    /// The mentee who reached it.
    var mentee: UUID
    /// What was reached, for people: "Activated: 3 sessions held", "Achieved: Ship a feature".
    var title: String
    /// The goal achieved, for a ``Kind/goalAchieved`` milestone.
    var goal: UUID?

    /// Creates a milestone.
    init(kind: Kind, mentee: UUID, title: String, goal: UUID? = nil) {
        self.kind = kind
        self.mentee = mentee
        self.title = title
        self.goal = goal
    }

    /// A title that is not blank and at most 200 characters; a goal exactly for goal milestones.
    func validate() throws {
        guard !title.allSatisfy(\.isWhitespace) else {
            throw LedgerError(.invalidEvent, "MilestoneReached.title must not be empty")
        }
        guard title.count <= Self.maximumTitleLength else {
            throw LedgerError(.invalidEvent, "MilestoneReached.title is \(title.count) characters; at most \(Self.maximumTitleLength) are allowed")
        }
        guard (kind == .goalAchieved) == (goal != nil) else {
            throw LedgerError(.invalidEvent, "MilestoneReached.goal must be given for a goal milestone, and only for one")
        }
    }

    func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(kind.rawValue)
        writer.write(mentee)
        writer.write(title)
        writer.writeOptional(goal) { $0.write($1) }
    }

    init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        let at = reader.offset
        let code = try reader.readUInt8()
        guard let kind = Kind(rawValue: code) else {
            throw EventPayloadError(offset: at, reason: "MilestoneReached.kind has unknown code \(code)")
        }
        self.kind = kind
        mentee = try reader.readUUID()
        title = try reader.readString()
        goal = try reader.readOptional { try $0.readUUID() }
    }
}
