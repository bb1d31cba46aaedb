import Accountability
import EventLedger
import Foundation

/// One mentee's milestones across their mentorships.
struct MenteeMilestones: Sendable {
    /// The mentee.
    let mentee: UUID
    /// Sessions held in their mentorships.
    let sessionsHeld: Int
    /// Their milestones, oldest first (ties in log order).
    let milestones: [MilestoneFact]

    /// The first milestone.
    var first: MilestoneFact? { milestones.first }
    /// The first achieved goal.
    var firstGoal: MilestoneFact? { milestones.first { $0.milestone.kind == .goalAchieved } }
}

/// The milestones table: one row per mentee, most milestones first, and a summary.
struct MilestoneTable {
    /// Every mentee of a started mentorship; most milestones first, then most sessions, then id.
    let rows: [MenteeMilestones]

    /// Gathers `state` by mentee.
    init(_ state: MilestoneState) {
        var byMentee: [UUID: (sessions: Int, milestones: [MilestoneFact])] = [:]
        // Stream keys in ascending order are the order the mentorships first appeared in the log.
        for key in state.pairs.keys.sorted() {
            guard let pair = state.pairs[key] else { continue }
            byMentee[pair.mentee, default: (0, [])].sessions += pair.sessionsHeld
            byMentee[pair.mentee, default: (0, [])].milestones += pair.milestones
        }
        rows = byMentee.map { mentee, entry in
            let ordered = entry.milestones.enumerated()
                .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
                .map(\.element)
            return MenteeMilestones(mentee: mentee, sessionsHeld: entry.sessions, milestones: ordered)
        }
        .sorted { a, b in
            if a.milestones.count != b.milestones.count { return a.milestones.count > b.milestones.count }
            if a.sessionsHeld != b.sessionsHeld { return a.sessionsHeld > b.sessionsHeld }
            return a.mentee.uuidString < b.mentee.uuidString
        }
    }

    /// Prints the `limit` first rows and the summary.
    func print(limit: Int = 15) {
        let widths = [10, 8, 10, 16, 16, 0]
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { index, pair in
                index == 0 || index == widths.count - 1 ? pair.0.padded(to: pair.1) : pair.0.leftPadded(to: pair.1)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        func reached(_ fact: MilestoneFact?) -> String {
            fact.map { "\($0.sessionsBefore) s, \(String(format: "%.0f", $0.daysSinceStart)) d" } ?? "-"
        }
        Swift.print("Milestones per mentee (the \(min(limit, rows.count)) with the most, of \(rows.count))")
        Swift.print(line(["mentee", "sessions", "milestones", "first milestone", "first goal", "latest milestone"]))
        for row in rows.prefix(limit) {
            Swift.print(line([
                Self.short(row.mentee), String(row.sessionsHeld), String(row.milestones.count),
                reached(row.first), reached(row.firstGoal), row.milestones.last.map { $0.milestone.title } ?? "-",
            ]))
        }
        Swift.print("first milestone, first goal: reached after s sessions held, d days from the mentorship's start")

        let reached = rows.compactMap(\.first)
        let goals = rows.compactMap(\.firstGoal)
        Swift.print("")
        Swift.print("Mentees: \(rows.count); with a milestone: \(reached.count); activated (3 sessions): "
            + "\(rows.count { $0.milestones.contains { $0.milestone.kind == .sessions } }); achieved a goal: \(goals.count)")
        if !reached.isEmpty {
            Swift.print("Sessions to the first milestone: median \(Self.median(reached.map { Double($0.sessionsBefore) })), "
                + "days: median \(Self.median(reached.map(\.daysSinceStart)))")
        }
        if !goals.isEmpty {
            let sessions = goals.map(\.sessionsBefore)
            Swift.print("Sessions to the first achieved goal: median \(Self.median(sessions.map(Double.init))), "
                + "from \(sessions.min() ?? 0) to \(sessions.max() ?? 0)")
        }
    }

    /// The median, with one decimal.
    static func median(_ values: [Double]) -> String {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return "-" }
        let middle = sorted.count / 2
        let value = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        return String(format: "%.1f", value)
    }

    /// The first 8 hex digits of an id, then an ellipsis.
    static func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) + "…" }
}

extension String {
    /// The string with spaces in front to make it `width` characters wide.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    /// The string with spaces after it to make it `width` characters wide.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The string without trailing spaces.
    func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
