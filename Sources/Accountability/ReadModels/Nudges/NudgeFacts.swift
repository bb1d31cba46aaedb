import EventLedger
import Foundation

/// A NudgeSent, as `apply` appends it.
struct NudgeSentFact: StreamFact, Sendable, Hashable, Codable {
    var nudge: TrackedNudge
    var stream: UInt64

    init(stream: UInt64, nudge: TrackedNudge) {
        self.nudge = nudge
        self.stream = stream
    }
}

/// A NudgeSent.
struct TrackedNudge: Sendable, Hashable, Codable {
    var rule: UInt8
    var subject: UUID
    var recipient: UUID
    var at: Timestamp
}

/// The latest of the activity times seen that are at or before an asOf.
struct ActivityClock {
    let asOf: Timestamp
    private(set) var latest: Timestamp?

    init(asOf: Timestamp) { self.asOf = asOf }

    mutating func saw(_ time: Timestamp) {
        guard time <= asOf else { return }
        if let current = latest, current >= time { return }
        latest = time
    }
}
