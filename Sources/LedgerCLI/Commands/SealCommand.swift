import ArgumentParser
import EventLedger
import Foundation

/// `ledger seal DIR --key-file K`: signs the current head with a secret key.
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Sign the current head (HMAC-SHA256) with a secret key; `verify --key-file` checks every seal.",
        discussion: """
        Seal at checkpoints (after a day's imports, say). A log rewritten later by someone without \
        the key, even with every hash recomputed, fails `ledger verify --key-file`. Keep the key \
        away from the ledger's directory. --generate-key writes a new random key first (the file \
        must not exist; it is created readable only by its owner).
        """
    )

    @OptionGroup var location: LedgerLocation

    @Option(name: [.customLong("key"), .customLong("key-file")], help: ArgumentHelp("The key: a file of at least 16 bytes, or of hexadecimal digits.", valueName: "key file"), completion: .file())
    var keyFile: String

    @Flag(help: "Create --key-file with a new random 32-byte key (hexadecimal) before sealing.")
    var generateKey = false

    func run() throws {
        let url = URL(fileURLWithPath: keyFile)
        if generateKey {
            guard !FileManager.default.fileExists(atPath: keyFile) else {
                throw ToolError("--generate-key: '\(keyFile)' already exists; it is never overwritten")
            }
            guard FileManager.default.createFile(atPath: keyFile, contents: Data((SealKey.random().hex + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw ToolError("--generate-key: cannot create '\(keyFile)'")
            }
        }
        let key = try SealKey(contentsOf: url)
        let ledger = try location.open(readOnly: false)
        defer { ledger.close() }
        let seal = try ledger.seal(with: key)
        try StandardStreams.print("sealed position \(seal.position) \(seal.hash.hex) at \(seal.sealedAt.rfc3339)")
    }
}
