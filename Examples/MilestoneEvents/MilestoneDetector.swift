import Accountability
import EventLedger
import Foundation

/// Watches the commands of a simulated program and decides, as each one happens, whether it
/// makes a milestone: a mentorship's 3rd and 10th held sessions, and every achieved goal.
///
/// Milestone ids come from a seeded generator, so the same seed writes the same log.
struct MilestoneDetector {
    /// The held-session counts that are milestones, with their titles.
    static let sessionMilestones: [Int: String] = [3: "Activated: 3 sessions held", 10: "10 sessions held"]

    /// What the detector knows of one mentorship.
    private struct Pair {
        var mentee: UUID?
        var sessionsHeld = 0
        var goalTitles: [UUID: String] = [:]
    }

    private var pairs: [UUID: Pair] = [:]
    private var ids: SeededGenerator

    /// Creates a detector whose milestone ids derive from `seed`.
    init(seed: UInt64) {
        ids = SeededGenerator(seed: seed, stream: 0x4D49_4C45_5354_4F4E) // "MILESTON"
    }

    /// Folds `command` and returns the milestone it makes, if any.
    mutating func observe(_ command: MentorshipCommand) -> MilestoneReached? {
        var pair = pairs[command.mentorship] ?? Pair()
        defer { pairs[command.mentorship] = pair }
        switch command.event {
        case .mentorshipStarted(let start):
            pair.mentee = start.mentee
        case .goalSet(let goal):
            pair.goalTitles[goal.goal] = goal.title
        case .sessionHeld:
            pair.sessionsHeld += 1
            if let mentee = pair.mentee, let title = Self.sessionMilestones[pair.sessionsHeld] {
                return MilestoneReached(kind: .sessions, mentee: mentee, title: title)
            }
        case .goalAchieved(let achieved):
            if let mentee = pair.mentee {
                let title = "Achieved: " + (pair.goalTitles[achieved.goal] ?? "a goal")
                return MilestoneReached(kind: .goalAchieved, mentee: mentee,
                                        title: String(title.prefix(MilestoneReached.maximumTitleLength)), goal: achieved.goal)
            }
        default:
            break
        }
        return nil
    }

    /// The milestone as an event to append, caused by `command`: it happened when the command
    /// did, and is recorded by `recorder` (the host's system account).
    mutating func proposedEvent(_ milestone: MilestoneReached, causedBy command: MentorshipCommand, recorder: UUID) throws -> ProposedEvent {
        try ProposedEvent(milestone, id: ids.uuid(), occurredAt: command.occurredAt, actor: recorder, causationID: command.id)
    }
}
