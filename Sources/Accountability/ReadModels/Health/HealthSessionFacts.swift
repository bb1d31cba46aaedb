import EventLedger
import Foundation

/// What program health folds from one mentorship's session events, as they come: no-shows,
/// cancellations with the notice they gave, and the sessions scheduled and not yet resolved
/// (to derive a later cancellation's notice). Held sessions are the record's held-session list.
struct HealthSessionFacts: Sendable, Hashable {
    /// Occurred-at of every SessionMissed (a no-show by anyone counts once), in log order.
    var noShowAt: [Timestamp] = []
    /// Every SessionCancelled, with its notice, in log order.
    var cancellations: [HealthCancellationFact] = []
    /// Sessions scheduled and not yet held, cancelled or missed: id → scheduled-for.
    var openScheduled = IDTable<Timestamp>()

    /// Folds one session fact: a schedule opens the session (again: replaces its time), a held,
    /// missed or cancelled session closes it; a cancellation's notice is scheduled-for − its
    /// occurred-at (`nil` when the session is not open).
    mutating func record(_ fact: SessionFact) {
        switch fact.change {
        case .scheduled(let scheduledFor):
            openScheduled.assign(scheduledFor, to: fact.session)
        case .held:
            openScheduled.remove(fact.session)
        case .missed:
            noShowAt.append(fact.at)
            openScheduled.remove(fact.session)
        case .cancelled:
            let notice = openScheduled[fact.session].map { $0.microsecondsSinceEpoch - fact.at.microsecondsSinceEpoch }
            cancellations.append(HealthCancellationFact(at: fact.at, noticeMicros: notice))
            openScheduled.remove(fact.session)
        }
    }
}
