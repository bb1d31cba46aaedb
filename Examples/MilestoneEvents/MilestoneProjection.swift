import Accountability
import EventLedger
import Foundation

/// What ``MilestoneProjection`` decodes: two built-in types and the user's own.
enum MilestoneInput {
    /// A built-in MentorshipStarted.
    case started(MentorshipStarted)
    /// A built-in SessionHeld.
    case held(SessionHeld)
    /// The user-defined MilestoneReached.
    case milestone(MilestoneReached)
}

/// Folds the user-defined ``MilestoneReached`` alongside the built-in MentorshipStarted and
/// SessionHeld: per mentorship, the sessions held and the milestones with the number of sessions
/// held before each.
///
/// The built-in types decode with ``AccountabilityEvent/decode(typeIndex:record:)`` (mapping this
/// projection's type indices to the catalogue's); MilestoneReached decodes with its own codec
/// from the record's payload.
struct MilestoneProjection: Projection {
    let eventTypes = [MentorshipStarted.eventType, SessionHeld.eventType, MilestoneReached.eventType]
    /// The catalogue indices of the two built-in types.
    private let startedIndex: Int
    private let heldIndex: Int

    var name: String { "examples.milestones" }
    var initialState: MilestoneState { MilestoneState() }

    /// Creates the projection.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` if a built-in type it reads is missing.
    init() throws {
        guard let started = AccountabilityEvent.typeNames.firstIndex(of: MentorshipStarted.eventType),
              let held = AccountabilityEvent.typeNames.firstIndex(of: SessionHeld.eventType) else {
            throw LedgerError(.invalidRequest, "MentorshipStarted and SessionHeld must be built-in event types")
        }
        startedIndex = started
        heldIndex = held
    }

    func decode(typeIndex: Int, record: EventRecord) throws -> MilestoneInput {
        switch typeIndex {
        case 0:
            guard case .mentorshipStarted(let e) = try AccountabilityEvent.decode(typeIndex: startedIndex, record: record) else { break }
            return .started(e)
        case 1:
            guard case .sessionHeld(let e) = try AccountabilityEvent.decode(typeIndex: heldIndex, record: record) else { break }
            return .held(e)
        default:
            return .milestone(try Self.decodeMilestone(record))
        }
        throw LedgerError(.corruptRecord, "the record at position \(record.position) did not decode as \(eventTypes[typeIndex])", position: record.position)
    }

    func apply(_ event: MilestoneInput, record: EventRecord, to state: inout MilestoneState) {
        switch event {
        case .started(let start):
            state.pairs[record.streamKey] = MilestonePair(start, at: record.occurredAt)
        case .held:
            state.pairs[record.streamKey]?.sessionsHeld += 1
        case .milestone(let milestone):
            guard var pair = state.pairs[record.streamKey] else { return }
            pair.milestones.append(MilestoneFact(milestone, at: record.occurredAt, sessionsBefore: pair.sessionsHeld,
                                                 daysSinceStart: record.occurredAt.seconds(since: pair.startedAt) / 86_400))
            state.pairs[record.streamKey] = pair
        }
    }

    /// Decodes a MilestoneReached payload: its schema version must be one the type reads, and the
    /// codec must consume every byte.
    private static func decodeMilestone(_ record: EventRecord) throws -> MilestoneReached {
        guard record.schemaVersion >= 1, record.schemaVersion <= MilestoneReached.schemaVersion else {
            throw EventPayloadError(offset: 0, reason: "MilestoneReached schema version \(record.schemaVersion) is not one this program reads")
        }
        var reader = EventPayloadReader(record.payload)
        let milestone = try MilestoneReached(payload: &reader, schemaVersion: record.schemaVersion)
        try reader.expectEnd(MilestoneReached.eventType)
        return milestone
    }
}

/// What ``MilestoneProjection`` folds, by mentorship stream key.
struct MilestoneState: Sendable {
    /// Every started mentorship.
    var pairs: [UInt64: MilestonePair] = [:]
}

/// One mentorship's sessions and milestones.
struct MilestonePair: Sendable {
    /// The mentorship.
    let mentorship: UUID
    /// The mentee.
    let mentee: UUID
    /// When it started.
    let startedAt: Timestamp
    /// Sessions held.
    var sessionsHeld = 0
    /// Milestones, in log order.
    var milestones: [MilestoneFact] = []

    /// A mentorship that has just started.
    init(_ start: MentorshipStarted, at time: Timestamp) {
        mentorship = start.mentorship
        mentee = start.mentee
        startedAt = time
    }
}

/// One milestone as the projection saw it.
struct MilestoneFact: Sendable {
    /// The event.
    let milestone: MilestoneReached
    /// When it was reached (occurred-at).
    let at: Timestamp
    /// Sessions the mentorship had held when it was reached.
    let sessionsBefore: Int
    /// Days from the mentorship's start to the milestone.
    let daysSinceStart: Double

    /// Creates a fact.
    init(_ milestone: MilestoneReached, at time: Timestamp, sessionsBefore: Int, daysSinceStart: Double) {
        self.milestone = milestone
        at = time
        self.sessionsBefore = sessionsBefore
        self.daysSinceStart = daysSinceStart
    }
}
