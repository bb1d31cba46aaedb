import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger verify-export FILE [--head HASH] [--key FILE]`: proves an export from the file alone.
struct VerifyExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-export",
        abstract: "Prove an export from the file alone: the hash chain, and every readable field against its canonical bytes.",
        discussion: """
        Recomputes every chain hash with SHA-256, decodes every line's canonical bytes (envelope \
        and payload) and checks that the line's type, stream, revision, ids, actor, times, schema \
        version and every field of data are exactly what they encode; type and stream names are \
        held to one name per tag and key across the file. Lines of a user's type with a binary \
        codec are chained but their fields unverifiable, and are counted as such. The format \
        (Docs/ExportFormat.md) is what Scripts/verify_export.py checks with Python's hashlib. \
        Exit status 0 when everything holds; 2 with `FAULT at line L, position P, field F`.
        """
    )

    @Argument(help: "The export (NDJSON or CSV), or - for standard input.", completion: .file())
    var file: String

    @Option(help: "ndjson or csv (default: csv for a .csv file, ndjson otherwise).")
    var format: ExportFormatOption?

    @Option(help: ArgumentHelp("The chain hash the export must end on (from `ledger stats` or `ledger verify` of the source).", valueName: "hash"))
    var head: String?

    @Option(name: [.customLong("key"), .customLong("key-file")], help: ArgumentHelp("Also check the export's seals with this key.", valueName: "key file"), completion: .file())
    var keyFile: String?

    @Option(help: "The longest line accepted, in bytes.")
    var maxLineLength = 1 << 20

    func run() throws {
        let input = try InputFile(file, format: format)
        defer { input.close() }
        var verifier = ExportVerifier(format: input.format)
        verifier.maximumLineLength = maxLineLength
        if let head {
            guard let hash = ChainHash(hex: head) else { throw ValidationError("--head must be 64 hexadecimal digits") }
            verifier.expectedHead = hash
        }
        verifier.sealKey = try keyFile.map { try SealKey(contentsOf: URL(fileURLWithPath: $0)) }
        let bar = ProgressBar("verifying", total: input.size)
        let report: ExportVerifier.Report
        do {
            report = try verifier.verify(input.handle) { bar.update(UInt64($0), unit: "bytes") }
        } catch let error as InterchangeError {
            bar.finish(0, unit: "bytes")
            var place = error.line.map { "line \($0)" } ?? input.name
            if let position = error.position { place += ", position \(position)" }
            try StandardStreams.print("FAULT at \(place), field \(error.field): \(error.reason)")
            throw ExitCode(2)
        }
        bar.finish(input.size, unit: "bytes")
        let range = report.positions.map { "positions \($0.lowerBound)-\($0.upperBound)" } ?? "no positions"
        let seals = report.sealsChecked > 0 ? "\(report.sealsChecked) seals checked" : report.sealsUnchecked > 0 ? "\(report.sealsUnchecked) seals not checked (no --key)" : "no seals"
        try StandardStreams.print("chain intact: \(report.events) events, \(range), head \(report.head.hex); every readable field matches its canonical bytes (\(report.unverifiable) events of user types with binary payloads are chained but their fields unverifiable; \(seals))")
    }
}
