import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `--format` of `export`.
enum ExportFormatOption: String, ExpressibleByArgument, CaseIterable {
    case ndjson, csv

    var format: ExportFormat { self == .csv ? .csv : .ndjson }
}

/// `ledger export DIR`: every event with its position, revision, recorded-at, chain hash and the
/// canonical bytes the hash covers.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export events as NDJSON or CSV, each with what is needed to recompute the hash chain.",
        discussion: "Scripts/verify_export.py recomputes the chain from an export with Python's hashlib alone."
    )

    @OptionGroup var location: LedgerLocation

    @Option(help: "ndjson or csv.")
    var format: ExportFormatOption = .ndjson

    @Option(name: [.short, .long], help: "Write to this file instead of standard output (replaced if it exists).")
    var output: String?

    @Option(help: "The first position to export.")
    var from: UInt64 = 1

    @Option(help: "The last position to export (default: the head).")
    var through: UInt64?

    func validate() throws {
        if from < 1 { throw ValidationError("--from must be 1 or more") }
        if let through, through < from { throw ValidationError("--through \(through) is before --from \(from)") }
    }

    func run() throws {
        let ledger = try location.open(readOnly: true)
        defer { ledger.close() }
        let head = try ledger.head().position
        if let through, through > head {
            throw ToolError("--through \(through) is past the head (position \(head))")
        }
        var exporter = InterchangeExporter(format: format.format)
        exporter.from = from
        exporter.through = through
        let bar = ProgressBar("exporting", total: (through ?? head) >= from ? (through ?? head) - from + 1 : 0)
        let handle: FileHandle
        var temporary: URL?
        if let output {
            let target = URL(fileURLWithPath: output)
            let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial")
            guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                throw ToolError("cannot create '\(partial.path)' next to '\(output)'")
            }
            handle = try FileHandle(forWritingTo: partial)
            temporary = partial
        } else {
            handle = .standardOutput
        }
        let written: UInt64
        do {
            written = try exporter.export(ledger, to: { try handle.write(contentsOf: $0) }) { position in
                bar.update(position >= from ? position - from + 1 : 0)
            }
        } catch {
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
        bar.finish(written)
        if let output, let temporary {
            try handle.synchronize()
            try handle.close()
            let target = URL(fileURLWithPath: output)
            if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: temporary, to: target)
            StandardStreams.printError("exported \(written) events to \(output)")
        }
    }
}
