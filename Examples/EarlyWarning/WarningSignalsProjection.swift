import Accountability
import EventLedger
import Foundation

/// The early-warning signals the built-in read models do not keep, folded from the raw events:
/// each mentorship's dated no-shows, cancellations (with their notice) and feedback ratings.
///
/// It reads every built-in type (it is an ``AccountabilityProjection``), so it folds in the same
/// pass as ``EngagementProjection`` and ``CommitmentProjection`` through `CombinedProjection`.
/// Like them it keeps facts with their occurred-at times and evaluates them at an explicit as-of
/// time (``WarningSignalsState/signals(asOf:)``), never the wall clock.
struct WarningSignalsProjection: AccountabilityProjection {
    var name: String { "examples.early-warning.signals" }
    var initialState: WarningSignalsState { WarningSignalsState() }

    func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout WarningSignalsState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt)
    }
}

/// The dated facts of every mentorship, by stream key.
struct WarningSignalsState: Sendable {
    /// Per mentorship stream (the record's stream key), from its MentorshipStarted on.
    var pairs: [UInt64: PairTimeline] = [:]

    /// Folds one event of `stream` that occurred at `time`. Events of a stream with no
    /// MentorshipStarted before them are ignored.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp) {
        if case .mentorshipStarted(let start) = event {
            pairs[stream] = PairTimeline(start, at: time)
            return
        }
        guard pairs[stream] != nil else { return }
        switch event {
        case .mentorshipEnded:
            pairs[stream]?.endedAt = time
        case .sessionScheduled(let e):
            pairs[stream]?.scheduledFor[e.session] = e.scheduledFor
        case .sessionMissed(let e):
            pairs[stream]?.noShows.append(NoShow(at: time, absent: e.absent))
        case .sessionCancelled(let e):
            let due = pairs[stream]?.scheduledFor[e.session]
            // Less than 24 h between the cancellation and the session's time is short notice.
            let shortNotice = due.map { $0.seconds(since: time) < 86_400 } ?? false
            pairs[stream]?.cancellations.append(Cancellation(at: time, shortNotice: shortNotice))
        case .feedbackGiven(let e):
            pairs[stream]?.ratings.append(Rating(at: time, rating: e.rating))
        default:
            break
        }
    }

    /// The signals of every mentorship started at or before `asOf`, by mentorship id; only facts
    /// that occurred at or before `asOf` count.
    func signals(asOf: Timestamp) -> [UUID: WarningSignals] {
        var result: [UUID: WarningSignals] = [:]
        for pair in pairs.values where pair.startedAt <= asOf {
            result[pair.mentorship] = WarningSignals(pair, asOf: asOf)
        }
        return result
    }
}

/// One mentorship's dated facts, in log order.
struct PairTimeline: Sendable {
    /// The mentorship.
    let mentorship: UUID
    /// When it started (the MentorshipStarted's occurred-at).
    let startedAt: Timestamp
    /// When it ended, if it did.
    var endedAt: Timestamp?
    /// Each scheduled session's time, to measure a cancellation's notice.
    var scheduledFor: [UUID: Timestamp] = [:]
    /// Sessions nobody (or only one side) turned up to.
    var noShows: [NoShow] = []
    /// Cancelled sessions.
    var cancellations: [Cancellation] = []
    /// Feedback ratings, either way.
    var ratings: [Rating] = []

    /// The timeline of a mentorship that has just started.
    init(_ start: MentorshipStarted, at time: Timestamp) {
        mentorship = start.mentorship
        startedAt = time
    }
}

/// A session missed by one or both sides.
struct NoShow: Sendable {
    /// When it was recorded as missed (occurred-at).
    let at: Timestamp
    /// Who was absent.
    let absent: AbsentParty
}

/// A cancelled session.
struct Cancellation: Sendable {
    /// When it was cancelled (occurred-at).
    let at: Timestamp
    /// Cancelled less than 24 h before the session was due.
    let shortNotice: Bool
}

/// One feedback rating (1 to 5).
struct Rating: Sendable {
    /// When it was given (occurred-at).
    let at: Timestamp
    /// The rating.
    let rating: Int
}
