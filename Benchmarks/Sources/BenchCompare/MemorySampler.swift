import Foundation
import Synchronization

/// Samples this process's memory from /proc/self/status while a replay runs.
///
/// The kernel keeps the peak resident set itself (VmHWM); it keeps no peak of anonymous memory
/// (RssAnon), so a thread reads it every 2 ms and keeps the highest value.
final class MemorySampler: Sendable {
    private let peakAnonymous = Mutex(0)
    private let running = Atomic(true)
    private let finished = DispatchSemaphore(value: 0)

    func start() {
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                let anonymous = Self.field("RssAnon:")
                peakAnonymous.withLock { $0 = max($0, anonymous) }
                usleep(2_000)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops sampling; the peaks in kilobytes.
    func stop() -> (residentKB: Int, anonymousKB: Int) {
        let last = Self.field("RssAnon:")
        running.store(false, ordering: .relaxed)
        finished.wait()
        return (Self.field("VmHWM:"), peakAnonymous.withLock { max($0, last) })
    }

    /// A kilobyte field of /proc/self/status, 0 when it cannot be read.
    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
