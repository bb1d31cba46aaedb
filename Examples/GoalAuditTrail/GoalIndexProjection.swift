import Accountability
import EventLedger
import Foundation

/// Every goal of the log, in the order goals were set, with the positions of its events: what
/// the audit uses to choose a goal to show.
struct GoalIndexProjection: AccountabilityProjection {
    var name: String { "examples.goal-audit.index" }
    var initialState: GoalIndex { GoalIndex() }

    func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout GoalIndex) {
        switch event {
        case .goalSet(let e):
            state.set(e.goal, at: record.position)
        case .goalRevised(let e):
            state.touch(e.goal, at: record.position, revision: true)
        case .goalProgressRecorded(let e):
            state.touch(e.goal, at: record.position)
        case .goalAchieved(let e):
            state.touch(e.goal, at: record.position, closing: true)
        case .goalAbandoned(let e):
            state.touch(e.goal, at: record.position, closing: true)
        default:
            break
        }
    }
}

/// The goals of the log and where their events are.
struct GoalIndex: Sendable {
    /// Where one goal's events are.
    struct Entry: Sendable {
        /// The goal.
        let goal: UUID
        /// The position of its GoalSet.
        let setAt: UInt64
        /// The position of its first GoalRevised, if any.
        var firstRevisionAt: UInt64?
        /// The position of its latest goal event (set, revised, progress, achieved, abandoned).
        var lastEventAt: UInt64
        /// The position of its GoalAchieved or GoalAbandoned, if any.
        var closedAt: UInt64?
    }

    /// The goals in the order they were set.
    private(set) var entries: [Entry] = []
    private var indexByGoal: [UUID: Int] = [:]

    /// Records a GoalSet.
    mutating func set(_ goal: UUID, at position: UInt64) {
        indexByGoal[goal] = entries.count
        entries.append(Entry(goal: goal, setAt: position, lastEventAt: position))
    }

    /// Records another event about `goal`.
    mutating func touch(_ goal: UUID, at position: UInt64, revision: Bool = false, closing: Bool = false) {
        guard let index = indexByGoal[goal] else { return }
        entries[index].lastEventAt = position
        if closing { entries[index].closedAt = position }
        if revision, entries[index].firstRevisionAt == nil { entries[index].firstRevisionAt = position }
    }

    /// The goal to audit as of `cutoff` (a position), chosen deterministically, in the order goals
    /// were set: the first goal revised by then and achieved or abandoned after it; else the first
    /// revised by then whose history goes on after it; else the first revised by then; else the
    /// first set by then; `nil` when none was.
    func choose(asOf cutoff: UInt64) -> UUID? {
        let known = entries.filter { $0.setAt <= cutoff }
        let revised = known.filter { ($0.firstRevisionAt ?? .max) <= cutoff }
        let closedLater = revised.first { ($0.closedAt ?? 0) > cutoff }
        let goesOn = revised.first { $0.lastEventAt > cutoff }
        return (closedLater ?? goesOn ?? revised.first ?? known.first)?.goal
    }
}
