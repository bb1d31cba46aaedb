import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger import DIR FILE|-`: checks every line, then appends them all in one transaction.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an NDJSON file (DESIGN section 10): every line is checked, then all are appended atomically.",
        discussion: """
        Each line is validated exactly as the library validates commands. The first bad line stops \
        the import with its line number, the field and the reason, and nothing from the file is \
        written. Lines whose id is already stored with the same content are skipped, so importing \
        a file twice appends it once. An export of another ledger imports as it is (its positions, \
        times and hashes are ignored: this ledger assigns its own).
        """
    )

    @OptionGroup var location: LedgerLocation

    @Argument(help: "The NDJSON file, or - for standard input.", completion: .file())
    var file: String

    @OptionGroup var adminOptions: AdminOptions

    @Option(help: "The longest line accepted, in bytes.")
    var maxLineLength = 1 << 20

    func run() throws {
        let admins = try adminOptions.programAdmins()
        let ledger = try location.open(readOnly: false)
        defer { ledger.close() }
        var importer = InterchangeImporter(log: AccountabilityLedger(ledger: ledger, admins: admins))
        importer.maximumLineLength = maxLineLength
        let handle: FileHandle
        var size: UInt64 = 0
        if file == "-" {
            handle = .standardInput
        } else {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ToolError("'\(file)' does not exist or cannot be read; nothing was written")
            }
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? UInt64) ?? 0
        }
        defer { if file != "-" { try? handle.close() } }
        let reading = ProgressBar("reading ", total: size)
        var checking: ProgressBar?
        let summary: ImportSummary
        do {
            summary = try importer.importLines(from: handle) { progress in
                switch progress {
                case .reading(_, let bytes):
                    reading.update(UInt64(bytes), unit: "bytes")
                case .checking(let done, let total):
                    if checking == nil {
                        reading.finish(size, unit: "bytes")
                        checking = ProgressBar("checking", total: UInt64(total))
                    }
                    checking?.update(UInt64(done), unit: "lines")
                case .appending(let events):
                    checking?.finish(UInt64(events), unit: "lines")
                    StandardStreams.printErrorIfTerminal("appending \(ProgressBar.grouped(UInt64(events))) events in one transaction…")
                }
            }
        } catch let error as InterchangeError {
            throw ToolError("\(file == "-" ? "standard input" : file), \(error); nothing from the file was written")
        }
        let positions = summary.positions.isEmpty ? "" : " at positions \(summary.positions.lowerBound)-\(summary.positions.upperBound - 1)"
        try StandardStreams.print("imported \(summary.eventsAppended) events\(positions) for \(summary.mentorships) mentorships from \(summary.linesRead) lines; \(summary.alreadyStored) already stored")
    }
}
