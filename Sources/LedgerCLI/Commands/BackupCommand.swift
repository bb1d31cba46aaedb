import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger backup DIR TARGET`: a compact, consistent copy, checked after it is written.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a compact, consistent copy of the ledger into a missing or empty directory, then verify the copy."
    )

    @OptionGroup var location: LedgerLocation

    @Argument(help: "The directory for the copy (missing or empty).", completion: .directory)
    var target: String

    func run() throws {
        let ledger = try location.open(readOnly: true)
        defer { ledger.close() }
        let targetURL = URL(fileURLWithPath: target)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ToolError("'\(target)' is a file; the backup needs a missing or empty directory") }
            let contents = try FileManager.default.contentsOfDirectory(atPath: target)
            guard contents.isEmpty else { throw ToolError("'\(target)' is not empty; the backup needs a missing or empty directory") }
        } else {
            try FileManager.default.createDirectory(at: targetURL, withIntermediateDirectories: true)
        }
        StandardStreams.printErrorIfTerminal("copying…")
        try ledger.backup(to: targetURL)
        var options = LedgerOptions()
        options.readOnly = true
        options.createIfMissing = false
        let copy = try Ledger(directory: targetURL, registry: ledger.registry, options: options)
        defer { copy.close() }
        let head = try copy.head()
        let bar = ProgressBar("verifying copy", total: head.position)
        let report = try copy.verify { bar.update($0) }
        bar.finish(report.eventsChecked)
        guard report.isIntact else {
            throw ToolError("the copy in '\(target)' does not verify: \(report.firstFault.map(String.init(describing:)) ?? "")")
        }
        let bytes = StatsCommand.fileSize(targetURL.appendingPathComponent("data.mdb"))
        try StandardStreams.print("backed up \(head.position) events to \(target) (\(bytes) bytes, verified); head \(head.hash.hex)")
    }
}
