import EventLedger
import Foundation

/// A resolved session's place in a streak: occurred-at of the event that resolved it, ties by
/// log position.
struct StreakKey: Sendable, Hashable, Comparable {
    var at: Timestamp
    var position: UInt64

    static func < (a: StreakKey, b: StreakKey) -> Bool {
        a.at != b.at ? a.at < b.at : a.position < b.position
    }
}

/// The end of a streak's settled part: the latest settled session that breaks a no-show run (held,
/// attended) and the settled misses after it — all a trailing-miss count over settled and live
/// sessions together needs, in one mentorship or merged across a person's mentorships.
struct SettledStreak: Sendable, Hashable {
    /// The latest settled non-miss.
    var lastNonMiss: StreakKey?
    /// Settled misses after ``lastNonMiss``, ascending.
    var misses: [StreakKey] = []

    /// Adds one settled entry.
    mutating func add(_ key: StreakKey, miss: Bool) {
        if miss {
            guard lastNonMiss.map({ $0 < key }) ?? true else { return }
            let index = misses.firstIndex { key < $0 } ?? misses.count
            misses.insert(key, at: index)
        } else if lastNonMiss.map({ $0 < key }) ?? true {
            lastNonMiss = key
            misses.removeAll { $0 < key }
        }
    }

    /// The settled part as resolved sessions (the non-miss as a held session, the misses as
    /// no-shows, both under the mentorship's id), then `live`, in resolution order.
    func resolved(mentorship: UUID, then live: [ResolvedSession]) -> [ResolvedSession] {
        guard lastNonMiss != nil || !misses.isEmpty else { return live }
        var result: [ResolvedSession] = []
        if let key = lastNonMiss {
            result.append(ResolvedSession(session: mentorship, at: key.at, position: key.position, held: true, mentorAttended: false,
                                          menteeAttended: false, absentMentor: false, absentMentee: false))
        }
        for key in misses {
            result.append(ResolvedSession(session: mentorship, at: key.at, position: key.position, held: false, mentorAttended: false,
                                          menteeAttended: false, absentMentor: true, absentMentee: true))
        }
        return (result + live).sorted(by: ResolvedSession.precedes)
    }

    /// The settled part as streak entries: the non-miss, then the misses.
    var entries: [CommitmentFormulas.StreakEntry] {
        var result = lastNonMiss.map { [CommitmentFormulas.StreakEntry(at: $0.at, position: $0.position, miss: false)] } ?? []
        result += misses.map { CommitmentFormulas.StreakEntry(at: $0.at, position: $0.position, miss: true) }
        return result
    }
}
