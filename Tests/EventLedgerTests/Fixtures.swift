import EventLedger
import Foundation
import LedgerTestSupport

/// A ledger in a fresh temporary directory, closed and removed when released.
final class LedgerFixture: @unchecked Sendable {
    // Immutable after init; Ledger is Sendable and the directory is only removed in deinit.
    let directory: TemporaryDirectory
    let clock: ManualClock
    let ledger: Ledger

    init(clockStart: Timestamp = Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000), configure: (inout LedgerOptions) -> Void = { _ in }) throws {
        directory = try TemporaryDirectory()
        clock = ManualClock(clockStart)
        var options = LedgerOptions()
        options.clock = clock
        configure(&options)
        ledger = try Ledger(directory: directory.child("ledger"), registry: .samples(), options: options)
    }

    var url: URL { directory.child("ledger") }

    deinit {
        ledger.close()
    }
}

/// 2026-01-01T00:00:00Z plus `days`.
func day(_ days: Double) -> Timestamp {
    Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000).adding(seconds: days * 86_400)
}
