import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// The ledger directory argument every command takes, and how each command opens it.
struct LedgerLocation: ParsableArguments {
    @Argument(help: "The ledger's directory.", completion: .directory)
    var directory: String

    var url: URL { URL(fileURLWithPath: directory) }

    /// Opens an existing ledger; never creates one.
    func open(readOnly: Bool) throws -> Ledger {
        var options = LedgerOptions()
        options.readOnly = readOnly
        options.createIfMissing = false
        try requireLedger()
        return try Ledger(directory: url, registry: try .accountability(), options: options)
    }

    /// Fails with a clear message unless the directory holds a ledger.
    func requireLedger() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw ToolError("no ledger at '\(directory)': the directory does not exist (create one with `ledger init \(directory)`)")
        }
        guard isDirectory.boolValue else {
            throw ToolError("'\(directory)' is a file, not a ledger directory")
        }
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("data.mdb").path) else {
            throw ToolError("no ledger at '\(directory)': it holds no data.mdb (create one with `ledger init \(directory)`)")
        }
    }
}

/// A failure the tool reports as `error: <message>` with exit status 1.
struct ToolError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
