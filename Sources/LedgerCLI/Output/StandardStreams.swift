import Foundation

/// Buffered writes to standard output and unbuffered writes to standard error.
enum StandardStreams {
    /// Whether standard error is a terminal (progress bars are drawn only then).
    static let errorIsTerminal = isatty(2) == 1

    /// Writes `bytes` to standard output.
    static func write(_ bytes: UnsafeRawBufferPointer) throws {
        try FileHandle.standardOutput.write(contentsOf: bytes)
    }

    /// Writes `text` to standard output.
    static func print(_ text: String) throws {
        try FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
    }

    /// Writes `text` to standard error.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

extension StandardStreams {
    /// Writes `text` to standard error when it is a terminal (status lines of long operations).
    static func printErrorIfTerminal(_ text: String) {
        if errorIsTerminal || ProcessInfo.processInfo.environment["LEDGER_PROGRESS"] == "always" { printError(text) }
    }
}
