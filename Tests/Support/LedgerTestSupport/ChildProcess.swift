public import Foundation

/// Locates and runs the `LedgerTestChild` executable built next to the test bundle.
public enum ChildProcess {
    /// The built child executable.
    public static func executableURL() throws -> URL {
        let candidates: [URL] = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for directory in candidates {
            let url = directory.appendingPathComponent("LedgerTestChild")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "LedgerTestChild not built next to \(candidates.map(\.path)); run `swift build` first (make test does)"])
    }

    /// Starts the child with `arguments`; its standard output is returned as a pipe.
    public static func start(_ arguments: [String]) throws -> (Process, Pipe) {
        try start(executable: executableURL(), arguments, standardError: .standardError)
    }

    /// Starts `executable` with `arguments` without waiting; its standard output is a pipe.
    static func start(executable: URL, _ arguments: [String], standardError: FileHandle) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = standardError
        try process.run()
        return (process, output)
    }
}
