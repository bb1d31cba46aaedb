import Foundation
import LMDBKit

/// The ledger's single writer: a dedicated thread that commits appends in groups.
///
/// Callers enqueue requests and wait. The thread takes every request waiting when it is free
/// (up to ``LedgerOptions/maximumGroupSize`` events), applies them in one write transaction and
/// commits once, so appends that arrive while a commit is in flight join the next commit (group
/// commit). Each request still succeeds or fails on its own: a rejected request writes nothing and
/// does not affect the others in its group.
final class AppendWriter: Sendable {
    typealias Completion = @Sendable (Result<[AppendResult], LedgerError>) -> Void

    private struct Pending {
        let request: [StreamAppend]
        let eventCount: Int
        let completion: Completion
    }

    private struct Queue {
        var pending: [Pending] = []
        var stopping = false
        var stopped = false
    }

    private let store: LedgerStore
    private let typeTags: TypeTagTable
    private let clock: any LedgerClock
    private let maximumGroupSize: Int
    // NSCondition guards `queue`; it is a lock plus condition variable designed for cross-thread use.
    private let condition = NSCondition()
    nonisolated(unsafe) private var queue = Queue()
    private let finished = DispatchSemaphore(value: 0)

    init(store: LedgerStore, typeTags: TypeTagTable, clock: any LedgerClock, maximumGroupSize: Int) {
        self.store = store
        self.typeTags = typeTags
        self.clock = clock
        self.maximumGroupSize = max(1, maximumGroupSize)
        let thread = Thread { [self] in self.run() }
        thread.name = "EventLedger.writer"
        thread.start()
    }

    /// Enqueues a request; `completion` runs on the writer thread once it has committed or failed.
    func submit(_ request: [StreamAppend], completion: @escaping Completion) {
        let count = request.reduce(0) { $0 + $1.events.count }
        condition.lock()
        if queue.stopping {
            condition.unlock()
            completion(.failure(LedgerError(.closed, "the ledger at '\(store.environment.path)' is closed; nothing was written")))
            return
        }
        queue.pending.append(Pending(request: request, eventCount: count, completion: completion))
        condition.signal()
        condition.unlock()
    }

    /// Finishes the requests already queued, then stops the thread. Idempotent.
    func stop() {
        condition.lock()
        let alreadyStopping = queue.stopping
        queue.stopping = true
        condition.signal()
        condition.unlock()
        if !alreadyStopping { finished.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while queue.pending.isEmpty && !queue.stopping { condition.wait() }
            if queue.pending.isEmpty && queue.stopping {
                queue.stopped = true
                condition.unlock()
                finished.signal()
                return
            }
            var group: [Pending] = []
            var events = 0
            var taken = 0
            for pending in queue.pending {
                if !group.isEmpty && events + pending.eventCount > maximumGroupSize { break }
                group.append(pending)
                events += pending.eventCount
                taken += 1
            }
            queue.pending.removeFirst(taken)
            condition.unlock()
            commit(group)
        }
    }

    private func commit(_ group: [Pending]) {
        do {
            let outcomes = try apply(group.map(\.request))
            for (pending, outcome) in zip(group, outcomes) { pending.completion(outcome) }
        } catch {
            if group.count > 1 {
                // A storage failure aborted the whole group: commit each request alone so only the
                // one that cannot be stored fails.
                for pending in group { commit([pending]) }
                return
            }
            let failure = LedgerError.wrap(error, "appending to '\(store.environment.path)'; nothing was written")
            for pending in group { pending.completion(.failure(failure)) }
        }
    }

    /// Applies `requests` in one transaction: first on the fast path, which does not look ids up
    /// before writing them; when an id turns out to be stored already (a retry), that attempt is
    /// aborted and the requests run again in a session that probes every id.
    private func apply(_ requests: [[StreamAppend]]) throws -> [Result<[AppendResult], LedgerError>] {
        do {
            return try apply(requests, probesIDs: false)
        } catch is AppendSession.StoredIDFound {
            return try apply(requests, probesIDs: true)
        }
    }

    private func apply(_ requests: [[StreamAppend]], probesIDs: Bool) throws -> [Result<[AppendResult], LedgerError>] {
        let (outcomes, learned) = try store.environment.write { txn in
            var session = try AppendSession(txn: txn, store: store, typeTags: typeTags.snapshot, clock: clock, probesIDs: probesIDs)
            let outcomes = try txn.withCursor(store.events) { cursor in
                try requests.map { try session.apply($0, events: &cursor) }
            }
            try session.finish()
            return (outcomes, session.newTypeTags)
        }
        typeTags.learn(learned)
        return outcomes
    }
}
