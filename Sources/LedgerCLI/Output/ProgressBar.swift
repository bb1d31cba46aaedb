import Foundation

/// A progress bar on standard error (used from one thread at a time), drawn only when standard error is a terminal, at most ten
/// times a second; otherwise every call is a no-op, so piped output stays machine-readable.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private var total: UInt64
    private let enabled: Bool
    private var lastDrawn = Date.distantPast
    private let started = Date()
    private var drewSomething = false

    /// A bar for `label`, counting up to `total` (0 when unknown).
    init(_ label: String, total: UInt64, enabled: Bool = StandardStreams.errorIsTerminal || ProcessInfo.processInfo.environment["LEDGER_PROGRESS"] == "always") {
        self.label = label
        self.total = total
        self.enabled = enabled
    }

    /// Shows `done` of the total, with `unit` ("events", "lines").
    func update(_ done: UInt64, unit: String = "events", force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        var line = "\r\(label) "
        if total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 30
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%3d%% ", Int(fraction * 100))
            line += "\(Self.grouped(done))/\(Self.grouped(total)) \(unit)"
        } else {
            line += "\(Self.grouped(done)) \(unit)"
        }
        line += String(format: "  %.0f/s", rate)
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        drewSomething = true
    }

    /// Ends the bar's line.
    func finish(_ done: UInt64, unit: String = "events") {
        guard enabled else { return }
        update(done, unit: unit, force: true)
        if drewSomething { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func grouped(_ value: UInt64) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}
