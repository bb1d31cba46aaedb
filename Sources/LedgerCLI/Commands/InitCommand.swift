import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger init DIR`: creates a new, empty ledger.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new, empty ledger in a missing or empty directory."
    )

    @OptionGroup var location: LedgerLocation

    func run() throws {
        if FileManager.default.fileExists(atPath: location.url.appendingPathComponent("data.mdb").path) {
            throw ToolError("'\(location.directory)' already holds a ledger; nothing was changed")
        }
        let ledger = try Ledger(directory: location.url, registry: try .accountability())
        defer { ledger.close() }
        try StandardStreams.print("created ledger \(ledger.ledgerID.uuidString.lowercased()) at \(location.directory)")
    }
}
