/// A live feed of the log: an `AsyncSequence` that first catches up from a position, then yields
/// each new event as its commit lands, until its task is cancelled.
///
/// ```swift
/// for try await event in ledger.subscribe(after: checkpoint.position) {
///     handle(event)            // every event exactly once, in position order
/// }
/// ```
///
/// Positions are gapless and commits are atomic, so resuming after the last position seen
/// delivers every event exactly once, across the catch-up and live phases. A commit by this
/// ledger instance wakes its subscribers at once; other processes' commits are noticed by polling
/// the log every ``pollInterval``.
public struct LedgerSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    /// The ledger followed.
    public let ledger: Ledger
    /// The last position already seen: the first event yielded is the one after it.
    public let after: UInt64
    /// How long to wait between looks at the head once caught up.
    public let pollInterval: Duration
    /// How many events one read fetches.
    public let batchSize: Int

    /// Creates a subscription yielding the events after position `after`.
    public init(ledger: Ledger, after: UInt64 = 0, pollInterval: Duration = .milliseconds(20), batchSize: Int = 512) {
        self.ledger = ledger
        self.after = after
        self.pollInterval = pollInterval
        self.batchSize = Swift.max(1, batchSize)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(subscription: self, last: after)
    }

    /// Yields events in position order; returns `nil` once its task is cancelled.
    public struct Iterator: AsyncIteratorProtocol {
        let subscription: LedgerSubscription
        /// The position of the last event yielded.
        public private(set) var last: UInt64
        private var buffer: [RecordedEvent] = []
        private var index = 0

        init(subscription: LedgerSubscription, last: UInt64) {
            self.subscription = subscription
            self.last = last
        }

        /// The next event, waiting for a commit when caught up.
        ///
        /// - Throws: storage errors; ``LedgerError/Code/corruptRecord`` naming a damaged position.
        public mutating func next() async throws -> RecordedEvent? {
            while index == buffer.count {
                if Task.isCancelled || last == .max { return nil }
                let seen = subscription.ledger.commits.generation
                buffer = try subscription.ledger.events(.all(from: last + 1), limit: subscription.batchSize)
                index = 0
                if buffer.isEmpty {
                    // Woken by this process's next commit, or after the poll interval for others'.
                    await subscription.ledger.commits.wait(since: seen, timeout: subscription.pollInterval)
                }
            }
            let event = buffer[index]
            index += 1
            last = event.position
            return event
        }
    }
}

extension Ledger {
    /// A live feed of the events after position `after` (0: from the start). See
    /// ``LedgerSubscription``.
    public func subscribe(after: UInt64 = 0, pollInterval: Duration = .milliseconds(20)) -> LedgerSubscription {
        LedgerSubscription(ledger: self, after: after, pollInterval: pollInterval)
    }
}
