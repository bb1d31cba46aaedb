import EventLedger
import Foundation

/// A goal a record has settled: closed (achieved or abandoned) before the settled horizon, with
/// every revision, measurement and linked task closed before it too, so its Progress entry is the
/// same at every asOf from then on. It keeps that entry (``GoalProgress`` without the goal and
/// mentorship ids, which its table key and record carry) instead of the goal's revisions,
/// measurements and task links.
struct SettledGoal: Sendable, Hashable {
    /// The entry, its goal and mentorship ids zeroed (the table key and the record carry them).
    private(set) var entry: GoalProgress

    /// The goal whose entry (at any asOf after its last fact) is `progress`.
    init(_ progress: GoalProgress) {
        entry = progress
        entry.goal = Self.noID
        entry.mentorship = Self.noID
    }

    /// Its Progress entry as goal `goal` of `mentorship`; `nil` as of a time before it was set.
    func progress(goal: UUID, mentorship: UUID, asOf: Timestamp) -> GoalProgress? {
        guard entry.setAt <= asOf else { return nil }
        var progress = entry
        progress.goal = goal
        progress.mentorship = mentorship
        return progress
    }

    private static let noID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}

/// A ``SettledGoal`` in a record: owner, status code (UInt8), set-at, baseline, target (Double
/// bit patterns), deadline, optional latest value, optional achieved-at, optional abandoned-at,
/// linked and completed linked tasks (Int64 each), basis code (UInt8), progress and expected
/// percent (Double bit patterns), on-track flag (UInt8 0 or 1), revisions and easier revisions
/// (Int64 each).
extension SettledGoal: RecordField {
    static var minimumEncodedSize: Int { 16 + 1 + 8 + 8 + 8 + 8 + 1 + 1 + 1 + 8 + 8 + 1 + 8 + 8 + 1 + 8 + 8 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(entry.owner)
        writer.write(UInt8(entry.status.code))
        writer.write(entry.setAt)
        writer.write(entry.baseline)
        writer.write(entry.target)
        writer.write(entry.deadline)
        writer.writeOptional(entry.latestValue) { $0.write($1) }
        writer.write(optional: entry.achievedAt)
        writer.write(optional: entry.abandonedAt)
        writer.write(int: entry.linkedTasks)
        writer.write(int: entry.completedLinkedTasks)
        writer.write(UInt8(entry.basis.code))
        writer.write(entry.progressPercent)
        writer.write(entry.expectedPercent)
        writer.write(UInt8(entry.onTrack ? 1 : 0))
        writer.write(int: entry.revisions)
        writer.write(int: entry.easierRevisions)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        let owner = try reader.readUUID()
        let statusAt = reader.offset
        let statusCode = Int(try reader.readUInt8())
        guard let status = GoalStatus.allCases.first(where: { $0.code == statusCode }) else {
            throw EventPayloadError(offset: statusAt, reason: "a settled goal's status code is \(statusCode)")
        }
        let setAt = try reader.readTimestamp()
        let baseline = try reader.readDouble()
        let target = try reader.readDouble()
        let deadline = try reader.readTimestamp()
        let latestValue = try reader.readOptional { try $0.readDouble() }
        let achievedAt = try reader.readOptionalField(Timestamp.self)
        let abandonedAt = try reader.readOptionalField(Timestamp.self)
        let linkedTasks = try reader.readInt()
        let completedLinkedTasks = try reader.readInt()
        let basisAt = reader.offset
        let basisCode = Int(try reader.readUInt8())
        guard let basis = ProgressBasis.allCases.first(where: { $0.code == basisCode }) else {
            throw EventPayloadError(offset: basisAt, reason: "a settled goal's progress basis code is \(basisCode)")
        }
        let progressPercent = try reader.readDouble()
        let expectedPercent = try reader.readDouble()
        let onTrack = try reader.readFlags(allowed: 1) == 1
        let revisions = try reader.readInt()
        let easierRevisions = try reader.readInt()
        entry = GoalProgress(goal: Self.noID, mentorship: Self.noID, owner: owner, status: status, setAt: setAt,
                             baseline: baseline, target: target, deadline: deadline, latestValue: latestValue,
                             achievedAt: achievedAt, abandonedAt: abandonedAt, linkedTasks: linkedTasks,
                             completedLinkedTasks: completedLinkedTasks, basis: basis, progressPercent: progressPercent,
                             expectedPercent: expectedPercent, onTrack: onTrack, revisions: revisions,
                             easierRevisions: easierRevisions)
    }
}
