import EventLedger
import Foundation

/// A goal a record has settled: closed (achieved or abandoned) before the settled horizon, with
/// every revision, measurement and linked task closed before it too, so its Progress entry is the
/// same at every asOf from then on. It keeps that entry (``GoalProgress`` without the goal and
/// mentorship ids, which its table key and record carry) instead of the goal's revisions,
/// measurements and task links.
struct SettledGoal: Sendable, Hashable {
    var owner: UUID
    var status: GoalStatus
    var setAt: Timestamp
    var baseline: Double
    var target: Double
    var deadline: Timestamp
    var latestValue: Double?
    var achievedAt: Timestamp?
    var abandonedAt: Timestamp?
    var linkedTasks: Int
    var completedLinkedTasks: Int
    var basis: ProgressBasis
    var progressPercent: Double
    var expectedPercent: Double
    var onTrack: Bool
    var revisions: Int
    var easierRevisions: Int

    /// The goal whose entry (at any asOf after its last fact) is `progress`.
    init(_ progress: GoalProgress) {
        owner = progress.owner
        status = progress.status
        setAt = progress.setAt
        baseline = progress.baseline
        target = progress.target
        deadline = progress.deadline
        latestValue = progress.latestValue
        achievedAt = progress.achievedAt
        abandonedAt = progress.abandonedAt
        linkedTasks = progress.linkedTasks
        completedLinkedTasks = progress.completedLinkedTasks
        basis = progress.basis
        progressPercent = progress.progressPercent
        expectedPercent = progress.expectedPercent
        onTrack = progress.onTrack
        revisions = progress.revisions
        easierRevisions = progress.easierRevisions
    }

    /// Its Progress entry as goal `goal` of `mentorship`; `nil` as of a time before it was set.
    func progress(goal: UUID, mentorship: UUID, asOf: Timestamp) -> GoalProgress? {
        guard setAt <= asOf else { return nil }
        return GoalProgress(goal: goal, mentorship: mentorship, owner: owner, status: status, setAt: setAt,
                            baseline: baseline, target: target, deadline: deadline, latestValue: latestValue,
                            achievedAt: achievedAt, abandonedAt: abandonedAt, linkedTasks: linkedTasks,
                            completedLinkedTasks: completedLinkedTasks, basis: basis, progressPercent: progressPercent,
                            expectedPercent: expectedPercent, onTrack: onTrack, revisions: revisions,
                            easierRevisions: easierRevisions)
    }
}

/// A ``SettledGoal`` in a record: owner, status code (UInt8), set-at, baseline, target (Double
/// bit patterns), deadline, optional latest value, optional achieved-at, optional abandoned-at,
/// linked and completed linked tasks (Int64 each), basis code (UInt8), progress and expected
/// percent (Double bit patterns), on-track flag (UInt8 0 or 1), revisions and easier revisions
/// (Int64 each).
extension SettledGoal: RecordField {
    static var minimumEncodedSize: Int { 16 + 1 + 8 + 8 + 8 + 8 + 1 + 1 + 1 + 8 + 8 + 1 + 8 + 8 + 1 + 8 + 8 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(owner)
        writer.write(UInt8(status.code))
        writer.write(setAt)
        writer.write(baseline)
        writer.write(target)
        writer.write(deadline)
        writer.writeOptional(latestValue) { $0.write($1) }
        writer.write(optional: achievedAt)
        writer.write(optional: abandonedAt)
        writer.write(int: linkedTasks)
        writer.write(int: completedLinkedTasks)
        writer.write(UInt8(basis.code))
        writer.write(progressPercent)
        writer.write(expectedPercent)
        writer.write(UInt8(onTrack ? 1 : 0))
        writer.write(int: revisions)
        writer.write(int: easierRevisions)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        owner = try reader.readUUID()
        let statusAt = reader.offset
        let statusCode = Int(try reader.readUInt8())
        guard let status = GoalStatus.allCases.first(where: { $0.code == statusCode }) else {
            throw EventPayloadError(offset: statusAt, reason: "a settled goal's status code is \(statusCode)")
        }
        self.status = status
        setAt = try reader.readTimestamp()
        baseline = try reader.readDouble()
        target = try reader.readDouble()
        deadline = try reader.readTimestamp()
        latestValue = try reader.readOptional { try $0.readDouble() }
        achievedAt = try reader.readOptionalField(Timestamp.self)
        abandonedAt = try reader.readOptionalField(Timestamp.self)
        linkedTasks = try reader.readInt()
        completedLinkedTasks = try reader.readInt()
        let basisAt = reader.offset
        let basisCode = Int(try reader.readUInt8())
        guard let basis = ProgressBasis.allCases.first(where: { $0.code == basisCode }) else {
            throw EventPayloadError(offset: basisAt, reason: "a settled goal's progress basis code is \(basisCode)")
        }
        self.basis = basis
        progressPercent = try reader.readDouble()
        expectedPercent = try reader.readDouble()
        onTrack = try reader.readFlags(allowed: 1) == 1
        revisions = try reader.readInt()
        easierRevisions = try reader.readInt()
    }
}
