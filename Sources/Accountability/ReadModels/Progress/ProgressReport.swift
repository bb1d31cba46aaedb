public import EventLedger
public import Foundation

/// One mentorship's goals, rolled up.
public struct MentorshipProgress: Sendable, Hashable, Codable {
    /// The mentorship.
    public var mentorship: UUID
    /// Its program.
    public var program: UUID
    /// The mentor.
    public var mentor: UUID
    /// The mentee.
    public var mentee: UUID
    /// Whether it ended at or before asOf (ended mentorships stay in the report).
    public var ended: Bool
    /// Its goals, rolled up.
    public var goals: GoalRollup
}

/// The Progress read model as of an explicit time.
///
/// Formulas (each documented where it is computed, ``ProgressFormulas``):
/// - status: achieved / abandoned (at or before asOf), overdue (open and current deadline <
///   asOf), otherwise active;
/// - progress % = (latest measured − baseline) / (current target − baseline) × 100, clamped to
///   0…100; with no measurement, completed linked tasks / linked tasks not cancelled × 100; with
///   neither, 0; an achieved goal reports 100;
/// - expected % = elapsed share of [set-at, current deadline] × 100, clamped (frozen when the
///   goal closed); on track when progress ≥ expected − 10 points;
/// - rollups (``GoalRollup``): completion rate, on-time achievement, revision churn (easier
///   revisions apart), mean progress.
public struct ProgressReport: Sendable, Hashable, Codable {
    /// The time the report is as of.
    public var asOf: Timestamp
    /// Every goal set at or before asOf in a mentorship started by then, sorted by goal id
    /// (uuidString), then mentorship id.
    public var goals: [GoalProgress]
    /// Per mentorship (every mentorship started at or before asOf, ended ones included).
    public var mentorships: [UUID: MentorshipProgress]
    /// Per goal owner across mentorships; every mentee of a started mentorship is present (with
    /// an empty rollup when they own no goal).
    public var participants: [UUID: GoalRollup]
    /// Per program.
    public var programs: [UUID: GoalRollup]
    /// Every goal.
    public var overall: GoalRollup

    /// The goal with this id, if set by asOf.
    public func goal(_ id: UUID) -> GoalProgress? { goals.first { $0.goal == id } }

    /// The open goals (active or overdue) that are behind schedule (expected − progress > 0),
    /// largest gap first (ties: goal id), at most `limit`.
    public func goalsFurthestBehind(limit: Int) -> [GoalProgress] {
        let behind = goals.filter { $0.status.isOpen && $0.gap > 0 }
            .sorted { a, b in a.gap != b.gap ? a.gap > b.gap : a.goal.precedes(b.goal) }
        return Array(behind.prefix(Swift.max(0, limit)))
    }

    /// SHA-256 over every field in a fixed order (dictionaries by key uuidString).
    public var digest: String {
        var d = CanonicalDigest()
        d.add("accountability.progress/1")
        d.add(asOf)
        d.add(goals.count)
        for goal in goals { goal.feed(&d) }
        d.add(mentorships.count)
        for key in mentorships.keys.sorted(by: { $0.precedes($1) }) {
            guard let m = mentorships[key] else { continue }
            d.add(m.mentorship)
            d.add(m.program)
            d.add(m.mentor)
            d.add(m.mentee)
            d.add(m.ended)
            m.goals.feed(&d)
        }
        for table in [participants, programs] {
            d.add(table.count)
            for key in table.keys.sorted(by: { $0.precedes($1) }) {
                d.add(key)
                table[key]?.feed(&d)
            }
        }
        overall.feed(&d)
        return d.finalize()
    }
}
