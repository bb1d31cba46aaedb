public import Foundation

/// Runs the built `ledger` executable as a user would: a real process, real files, its exit
/// status, standard output and standard error.
public enum ToolProcess {
    /// What one run of the tool produced.
    public struct Outcome: Sendable {
        /// The exit status.
        public let status: Int32
        /// Standard output, as text.
        public let output: String
        /// Standard error, as text.
        public let error: String
        /// Standard output, as bytes.
        public let outputBytes: Data
    }

    /// A built executable of the package (`ledger` by default, or an example), next to the test
    /// bundle.
    public static func executableURL(_ name: String = "ledger") throws -> URL {
        let child = try ChildProcess.executableURL()
        let url = child.deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(name) not built at \(url.path); run `swift build` first (make test does)"])
        }
        return url
    }

    /// Runs `program arguments…` (`ledger` by default) to completion, feeding `input` to its
    /// standard input.
    public static func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:], program: String = "ledger") throws -> Outcome {
        let process = Process()
        process.executableURL = try executableURL(program)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LEDGER_PROGRESS")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        let error = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        try process.run()
        // Read both pipes while the process runs, so a large output cannot block it.
        let collected = CollectedOutput()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            collected.setOutput(output.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            collected.setError(error.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        if let input { try stdin.fileHandleForWriting.write(contentsOf: input) }
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        let (out, err) = collected.values
        return Outcome(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                       error: String(decoding: err, as: UTF8.self), outputBytes: out)
    }

    /// Starts `ledger arguments…` without waiting; its standard output is a pipe, its standard
    /// error goes to /dev/null (so a child that outlives its test holds no pipe of the test run).
    public static func start(_ arguments: [String]) throws -> (Process, Pipe) {
        try ChildProcess.start(executable: executableURL(), arguments, standardError: .nullDevice)
    }
}

/// Output gathered from two reader threads.
private final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var output = Data()
    private var error = Data()

    func setOutput(_ data: Data) { lock.lock(); output = data; lock.unlock() }
    func setError(_ data: Data) { lock.lock(); error = data; lock.unlock() }
    var values: (Data, Data) { lock.lock(); defer { lock.unlock() }; return (output, error) }
}
