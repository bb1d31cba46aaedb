import Foundation
import LMDBKit
import Synchronization

extension Ledger {
    /// Appends `events` to `stream` atomically, after checking `expecting`; blocks until committed.
    ///
    /// Prefer the `async` overload from Swift concurrency code: this one blocks its thread.
    ///
    /// - Returns: the positions the events got and the stream's new revision. When every event id
    ///   is already stored identically (a retry), nothing is written and the original positions
    ///   are returned with ``AppendResult/wasAlreadyStored`` set.
    /// - Throws: ``LedgerError``: ``LedgerError/Code/wrongExpectedRevision`` naming the stream, the
    ///   expected and the actual revision; ``LedgerError/Code/unknownEventType``,
    ///   ``LedgerError/Code/invalidEvent`` or ``LedgerError/Code/invalidStreamName`` naming the event;
    ///   ``LedgerError/Code/idempotencyConflict`` for an id stored with other content. Whatever
    ///   the error, nothing of the call was written.
    @discardableResult
    public func append(_ events: [ProposedEvent], to stream: String, expecting: ExpectedRevision = .any) throws -> AppendResult {
        try append([StreamAppend(stream: stream, expectedRevision: expecting, events: events)])[0]
    }

    /// Appends `events` to `stream` atomically, after checking `expecting`. See the synchronous
    /// overload for results and errors.
    @discardableResult
    public func append(_ events: [ProposedEvent], to stream: String, expecting: ExpectedRevision = .any) async throws -> AppendResult {
        try await append([StreamAppend(stream: stream, expectedRevision: expecting, events: events)])[0]
    }

    /// Appends to several streams in one transaction: every event of every stream commits, or none
    /// does. Blocks until committed.
    @discardableResult
    public func append(_ batches: [StreamAppend]) throws -> [AppendResult] {
        let request = try prepare(batches)
        let outcome = Mutex<Result<[AppendResult], LedgerError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        try submit(request) { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        guard let result = outcome.withLock({ $0 }) else {
            throw LedgerError(.storage, "the writer of '\(directory.path)' finished without a result")
        }
        return try result.get()
    }

    /// Appends to several streams in one transaction: every event of every stream commits, or none
    /// does.
    ///
    /// Once submitted, an append is not cancelled with its task: it commits or fails as a whole.
    @discardableResult
    public func append(_ batches: [StreamAppend]) async throws -> [AppendResult] {
        let request = try prepare(batches)
        return try await withCheckedThrowingContinuation { continuation in
            do {
                try submit(request) { continuation.resume(with: $0) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    private func submit(_ request: [StreamAppend], completion: @escaping AppendWriter.Completion) throws {
        guard let writer = appendWriter else {
            throw LedgerError(.invalidRequest, "the ledger at '\(directory.path)' was opened read-only; nothing was written")
        }
        let commits = self.commits
        writer.submit(request) { result in
            if case .success = result { commits.notify() }
            completion(result)
        }
    }

    /// Checks a request on the caller's thread, before it reaches the writer: stream names, event
    /// types, payload sizes and codecs, duplicate ids.
    func prepare(_ batches: [StreamAppend]) throws -> [StreamAppend] {
        if store.environment.currentThreadHoldsTransaction {
            throw LedgerError(.invalidRequest, "append was called inside a read of the same ledger; finish the read first (nothing was written)")
        }
        return try checkBatches(batches)
    }

    /// The checks of ``prepare(_:)`` that need no transaction (a bulk append runs them inside its own).
    func checkBatches(_ batches: [StreamAppend]) throws -> [StreamAppend] {
        guard !batches.isEmpty else {
            throw LedgerError(.invalidRequest, "an append needs at least one stream; nothing was written")
        }
        var streams = Set<String>()
        var ids = Set<UUID>()
        for batch in batches {
            do { try LedgerKeys.validateStreamName(batch.stream) } catch {
                throw LedgerError(error.code, "\(error.message); nothing was written", stream: batch.stream)
            }
            guard streams.insert(batch.stream).inserted else {
                throw LedgerError(.invalidRequest, "stream '\(batch.stream)' appears twice in one append; merge its events into one batch (nothing was written)", stream: batch.stream)
            }
            for (index, event) in batch.events.enumerated() {
                // Named only when something is wrong: formatting it for every event would cost more
                // than the rest of the checks.
                func which() -> String {
                    "event \(index + 1) of \(batch.events.count) (\(event.eventType), id \(event.id)) for stream '\(batch.stream)'"
                }
                guard ids.insert(event.id).inserted else {
                    throw LedgerError(.invalidRequest, "\(which()) repeats an id used earlier in the same append; nothing was written", stream: batch.stream)
                }
                try check(event, which, stream: batch.stream)
            }
        }
        return batches
    }

    private func check(_ event: ProposedEvent, _ which: () -> String, stream: String) throws {
        guard let current = registry.schemaVersion(of: event.eventType) else {
            throw LedgerError(.unknownEventType, "\(which()): type '\(event.eventType)' is not registered with this ledger; nothing was written", stream: stream)
        }
        guard event.payload.count <= EnvelopeLayout.maximumPayloadSize else {
            throw LedgerError(.invalidEvent, "\(which()): payload is \(event.payload.count) bytes; the limit is \(EnvelopeLayout.maximumPayloadSize); nothing was written", stream: stream)
        }
        guard event.schemaVersion >= 1, event.schemaVersion <= current else {
            throw LedgerError(.invalidEvent, "\(which()): schema version \(event.schemaVersion) is not one the registered type reads (1 to \(current)); nothing was written", stream: stream)
        }
        if !event.isEncodedFromTypedEvent {
            do {
                let decoded = try event.payload.withUnsafeBytes {
                    try registry.decode(eventType: event.eventType, schemaVersion: event.schemaVersion, payload: $0)
                }
                try decoded.validate()
            } catch {
                // A domain error may already say that nothing was written; say it once.
                let reason = "\(error)"
                let suffix = reason.hasSuffix("nothing was written") ? "" : "; nothing was written"
                throw LedgerError(.invalidEvent, "\(which()): \(reason)\(suffix)", stream: stream)
            }
        }
    }
}
