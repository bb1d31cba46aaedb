import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger import DIR FILE|-`: checks every line as it is read and appends them all atomically.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an NDJSON or CSV file: every line is checked as it is read, in order, and the whole file commits atomically.",
        discussion: """
        Each line is validated exactly as the library validates commands, and a line of an export \
        (one with canonical bytes) must show exactly what its bytes encode. The first bad line \
        stops the import at once with its line number, the field and the reason, and nothing from \
        the file is written, also if the import is killed. Events keep the file's order. Lines \
        whose id is already stored with the same content are skipped, so importing a file twice \
        appends it once. An export of another ledger imports as new events (this ledger assigns its \
        own positions, times and hashes) unless --faithful copies it exactly.

        DIR may be an existing ledger, or a directory that does not exist yet (or is empty): the \
        new ledger is then built beside it in steps and moved into place at the end, which keeps \
        memory low for files of any size. `ledger init` is not needed first.
        """
    )

    @Argument(help: "The ledger's directory (an existing ledger, or a new directory).", completion: .directory)
    var directory: String

    @Argument(help: "The file, or - for standard input.", completion: .file())
    var file: String

    @OptionGroup var adminOptions: AdminOptions

    @Option(help: "ndjson or csv (default: csv for a .csv file, ndjson otherwise).")
    var format: ExportFormatOption?

    @Flag(help: "Copy an export of another ledger exactly, into a new or empty ledger: positions, revisions, event ids, recorded-at times, chain hashes and seals; the copy's head is the source's.")
    var faithful = false

    @Option(help: "The longest line accepted, in bytes.")
    var maxLineLength = 1 << 20

    func run() throws {
        let admins = try adminOptions.programAdmins()
        let input = try InputFile(file, format: format)
        defer { input.close() }
        let bar = ProgressBar("importing", total: input.size)
        let report: (InterchangeImporter.Progress) -> Void = { progress in
            switch progress {
            case .reading(_, let bytes): bar.update(UInt64(bytes), unit: "bytes")
            case .committing: break
            }
        }
        let configure: (inout InterchangeImporter) -> Void = { importer in
            importer.maximumLineLength = maxLineLength
            importer.format = input.format
            importer.faithful = faithful
        }
        let summary: ImportSummary
        do {
            if isNewLedger {
                summary = try InterchangeImporter.importIntoNewLedger(
                    at: URL(fileURLWithPath: directory), admins: admins, from: input.handle, configure: configure, progress: report)
            } else {
                let location = try LedgerLocation.parse([directory])
                let ledger = try location.open(readOnly: false)
                defer { ledger.close() }
                var importer = InterchangeImporter(log: AccountabilityLedger(ledger: ledger, admins: admins))
                configure(&importer)
                if input.size > 0 { importer.reservedBytes = Int(input.size) * 2 + (1 << 30) }
                summary = try importer.importLines(from: input.handle, progress: report)
            }
        } catch let error as InterchangeError {
            bar.finish(0, unit: "bytes")
            throw ToolError("\(input.name), \(error); nothing from the file was written")
        }
        bar.finish(input.size, unit: "bytes")
        let positions = summary.positions.isEmpty ? "" : " at positions \(summary.positions.lowerBound)-\(summary.positions.upperBound - 1)"
        let how = faithful ? "copied" : "imported"
        try StandardStreams.print("\(how) \(summary.eventsAppended) events\(positions) for \(summary.mentorships) mentorships from \(summary.linesRead) lines; \(summary.alreadyStored) already stored")
    }

    /// Whether DIR is not a ledger yet: missing, or an empty directory.
    private var isNewLedger: Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return true }
        return isDirectory.boolValue && ((try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty ?? false)
    }
}
