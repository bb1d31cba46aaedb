import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// How `log` and `tail` print events.
enum EventFormat: String, ExpressibleByArgument, CaseIterable {
    /// Readable envelopes.
    case text
    /// One export line per event (NDJSON).
    case json
}

/// `ledger log DIR`: prints stored events as readable envelopes.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print stored events (position, recorded-at, stream, revision, type, actor, data, hash)."
    )

    @OptionGroup var location: LedgerLocation

    @Option(help: "The first position (default 1; with --reverse, the head).")
    var from: UInt64?

    @Option(help: "The most events to print.")
    var limit: Int = .max

    @Option(help: "Only this stream (e.g. mentorship/<uuid>).")
    var stream: String?

    @Option(help: "Only this event type (e.g. SessionHeld).")
    var type: String?

    @Flag(help: "Newest first.")
    var reverse = false

    @Option(help: "text (readable) or json (one export line per event).")
    var format: EventFormat = .text

    func validate() throws {
        if stream != nil && type != nil { throw ValidationError("--stream and --type cannot be combined") }
        if limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
    }

    func run() throws {
        let ledger = try location.open(readOnly: true)
        defer { ledger.close() }
        let direction: ReadDirection = reverse ? .backward : .forward
        var query: EventQuery
        if let stream {
            query = .stream(stream, direction: direction)
        } else if let type {
            query = .type(type, from: from, direction: direction)
        } else {
            query = .all(from: from, direction: direction)
        }
        try ledger.read { reader in
            if let stream, try reader.streamRevision(of: stream) == nil {
                throw ToolError("stream '\(stream)' has no events in '\(location.directory)'")
            }
            if let type, !ledger.registry.isRegistered(type), try reader.typeTag(of: type) == nil {
                throw ToolError("type '\(type)' has no events in '\(location.directory)'")
            }
            var printed = 0
            var out = OutputBuffer()
            try reader.withEvents(query) { cursor in
                while printed < limit, let record = try cursor.next() {
                    if stream != nil, let from, reverse ? record.position > from : record.position < from { continue }
                    try out.append(format == .text ? try EnvelopeText.format(record, reader: reader) : try EnvelopeText.json(record, reader: reader))
                    printed += 1
                }
            }
            try out.flush()
        }
    }
}

/// Collects output lines and writes them to standard output in large chunks.
struct OutputBuffer {
    private var bytes: [UInt8] = []

    mutating func append(_ line: String) throws {
        bytes.append(contentsOf: line.utf8)
        bytes.append(10)
        if bytes.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        try bytes.withUnsafeBytes { try StandardStreams.write($0) }
        bytes.removeAll(keepingCapacity: true)
    }
}
