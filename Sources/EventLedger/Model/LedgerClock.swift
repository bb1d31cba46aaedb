import Synchronization

/// The source of the ledger's recorded-at times.
///
/// The ledger keeps recorded-at non-decreasing whatever the clock says: an event is recorded at
/// `max(clock.now(), recorded-at of the previous event)`. Inject a ``ManualClock`` in tests to
/// control time exactly.
public protocol LedgerClock: Sendable {
    /// The current time.
    func now() -> Timestamp
}

/// The system's wall clock.
public struct SystemClock: LedgerClock {
    /// Creates the system clock.
    public init() {}
    /// The current wall-clock time.
    public func now() -> Timestamp { .now() }
}

/// A clock that moves only when told to: for tests, simulations and replays of history.
public final class ManualClock: LedgerClock {
    private let current: Mutex<Timestamp>

    /// Creates a clock showing `start`.
    public init(_ start: Timestamp) { current = Mutex(start) }

    /// The time the clock shows.
    public func now() -> Timestamp { current.withLock { $0 } }

    /// Sets the time the clock shows (it may go back; the ledger still never records a time earlier
    /// than the previous event's).
    public func set(_ time: Timestamp) { current.withLock { $0 = time } }

    /// Moves the clock forward by `seconds`.
    public func advance(seconds: Double) { current.withLock { $0 = $0.adding(seconds: seconds) } }
}
