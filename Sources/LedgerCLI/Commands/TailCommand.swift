import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger tail DIR [--follow]`: the newest events, then (with `--follow`) each new one as it is
/// committed, by any process.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the newest events; with --follow, keep printing new ones as they are committed."
    )

    @OptionGroup var location: LedgerLocation

    @Option(name: [.customShort("n"), .long], help: "How many of the newest events to print first.")
    var lines = 10

    @Flag(help: "Keep running and print each new event (committed by any process) until interrupted.")
    var follow = false

    @Option(help: "With --follow, how often to look for new events, in milliseconds.")
    var pollMilliseconds = 200

    @Option(help: "text (readable) or json (one export line per event).")
    var format: EventFormat = .text

    func validate() throws {
        if lines < 0 { throw ValidationError("--lines must be 0 or more, not \(lines)") }
        if pollMilliseconds < 1 { throw ValidationError("--poll-milliseconds must be at least 1, not \(pollMilliseconds)") }
    }

    func run() throws {
        let ledger = try location.open(readOnly: true)
        defer { ledger.close() }
        var last = try ledger.head().position
        let first = last >= UInt64(lines) ? last - UInt64(lines) + 1 : 1
        try printEvents(ledger, from: first, through: last)
        guard follow else { return }
        // A parent may have blocked these signals; --follow ends only through them.
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&signals, signal) }
        sigprocmask(SIG_UNBLOCK, &signals, nil)
        while true {
            Thread.sleep(forTimeInterval: Double(pollMilliseconds) / 1000)
            let head = try ledger.head().position
            guard head > last else { continue }
            try printEvents(ledger, from: last + 1, through: head)
            last = head
        }
    }

    private func printEvents(_ ledger: Ledger, from: UInt64, through: UInt64) throws {
        guard through >= from, through > 0 else { return }
        try ledger.read { reader in
            var out = OutputBuffer()
            try reader.forEach(EventQuery.all(from: from).through(position: through)) { record in
                try out.append(format == .text ? try EnvelopeText.format(record, reader: reader) : try EnvelopeText.json(record, reader: reader))
            }
            try out.flush()
        }
    }
}
