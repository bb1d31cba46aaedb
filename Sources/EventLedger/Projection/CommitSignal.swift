import Foundation
import Synchronization

/// Wakes this process's subscribers when an append commits, so they need not wait for their next
/// poll. Other processes' commits are still found by polling.
final class CommitSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UUID: (continuation: CheckedContinuation<Void, Never>, timer: Task<Void, Never>?)] = [:]
    }

    private let state = Mutex(State())

    /// Increases with every commit signalled.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiter.
    func notify() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume()
        }
    }

    /// Returns when a commit after `seen` is signalled, after `timeout`, or when the task is
    /// cancelled, whichever comes first.
    func wait(since seen: UInt64, timeout: Duration) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Register first, so the timer always finds the waiter unless it was woken already.
                let alreadyMoved = state.withLock { state -> Bool in
                    if state.generation != seen { return true }
                    state.waiters[id] = (continuation, nil)
                    return false
                }
                if alreadyMoved {
                    continuation.resume()
                    return
                }
                // Cancelled before the waiter was registered: the handler found nothing to wake.
                if Task.isCancelled {
                    resume(id)
                    return
                }
                let timer = Task { [weak self] in
                    // Cancelled when the waiter is woken first.
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    self?.resume(id)
                }
                let stillWaiting = state.withLock { state -> Bool in
                    guard state.waiters[id] != nil else { return false }
                    state.waiters[id]?.timer = timer
                    return true
                }
                if !stillWaiting { timer.cancel() }
            }
        } onCancel: {
            resume(id)
        }
    }

    private func resume(_ id: UUID) {
        guard let waiter = state.withLock({ $0.waiters.removeValue(forKey: id) }) else { return }
        waiter.timer?.cancel()
        waiter.continuation.resume()
    }
}
