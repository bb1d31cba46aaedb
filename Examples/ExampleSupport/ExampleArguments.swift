import Foundation

/// An example's command-line arguments: `--mentorships N`, `--months N` and `--seed N`, and, for an
/// example that asks for it, `--output FILE`; each is also accepted as `--name=value`.
///
/// Parsed by hand from `CommandLine.arguments` (the examples take no argument-parser dependency).
/// An example that does not accept `--output` rejects it as an unknown argument.
///
/// ```swift
/// let arguments = ExampleArguments.fromCommandLine(program: "MentoringHours", acceptsOutput: true)
/// ```
public struct ExampleArguments: Sendable, Equatable {
    /// The name the usage and error messages use, such as `EarlyWarning`.
    public let programName: String
    /// Whether `--output FILE` is accepted (and shown in the ``usage``).
    public let acceptsOutput: Bool

    /// How many mentorships to simulate (1 to 10,000,000); 100 by default.
    public var mentorships = 100
    /// How many months (of 30 days) the program runs (1 to 120); 6 by default.
    public var months = 6
    /// The simulation seed: the same seed prints the same report; 1 by default.
    public var seed: UInt64 = 1
    /// Where to write the output; `nil` (the default, and always when ``acceptsOutput`` is `false`)
    /// writes it to standard output.
    public var output: String?

    /// Creates the default arguments of an example.
    ///
    /// - Parameters:
    ///   - program: The name the usage and error messages use.
    ///   - acceptsOutput: Whether `--output FILE` is accepted.
    public init(program: String, acceptsOutput: Bool = false) {
        programName = program
        self.acceptsOutput = acceptsOutput
    }

    /// The one-line usage text, such as
    /// `usage: EarlyWarning [--mentorships N] [--months N] [--seed N]`.
    public var usage: String {
        "usage: \(programName) [--mentorships N] [--months N] [--seed N]" + (acceptsOutput ? " [--output FILE]" : "")
    }

    /// What parsing asked for: a run, or the usage text.
    public enum Request: Sendable, Equatable {
        /// Run with these arguments.
        case run(ExampleArguments)
        /// `--help` or `-h`: print the usage and exit.
        case help
    }

    /// Parses the arguments that follow the program name.
    ///
    /// - Parameters:
    ///   - arguments: The arguments, without the program name.
    ///   - program: The name the usage and error messages use.
    ///   - acceptsOutput: Whether `--output FILE` is accepted; when `false` it is an unknown argument.
    /// - Returns: ``Request/help`` as soon as `--help` or `-h` is seen, otherwise ``Request/run(_:)``
    ///   with the parsed arguments.
    /// - Throws: An ``ArgumentError`` naming the argument at fault.
    public static func parse(
        _ arguments: [String], program: String, acceptsOutput: Bool = false
    ) throws(ArgumentError) -> Request {
        var result = ExampleArguments(program: program, acceptsOutput: acceptsOutput)
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" { return .help }
            // Split `--name=value`; otherwise the value is the next argument.
            let name: String
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
            }
            func value() throws(ArgumentError) -> String {
                if let inlineValue { return inlineValue }
                guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                    throw ArgumentError("\(name) needs a value")
                }
                defer { index += 1 }
                return arguments[index]
            }
            switch name {
            case "--mentorships":
                result.mentorships = try integer(try value(), for: name, in: 1...10_000_000)
            case "--months":
                result.months = try integer(try value(), for: name, in: 1...120)
            case "--seed":
                let text = try value()
                guard let seed = UInt64(text) else {
                    throw ArgumentError("\(name) must be a whole number from 0 to \(UInt64.max), not '\(text)'")
                }
                result.seed = seed
            case "--output" where acceptsOutput:
                let path = try value()
                guard !path.isEmpty else { throw ArgumentError("\(name) needs a file name") }
                result.output = path
            default:
                throw ArgumentError("unknown argument '\(argument)'")
            }
        }
        return .run(result)
    }

    /// Parses `CommandLine.arguments`; prints the usage and exits 0 for `--help`, and prints the
    /// error and the usage to standard error and exits 2 for bad arguments.
    ///
    /// - Parameters:
    ///   - program: The name the usage and error messages use.
    ///   - acceptsOutput: Whether `--output FILE` is accepted; when `false` it is an unknown argument.
    /// - Returns: The parsed arguments; it does not return for `--help` or a bad argument.
    public static func fromCommandLine(program: String, acceptsOutput: Bool = false) -> ExampleArguments {
        do {
            switch try parse(Array(CommandLine.arguments.dropFirst()), program: program, acceptsOutput: acceptsOutput) {
            case .run(let arguments):
                return arguments
            case .help:
                print(ExampleArguments(program: program, acceptsOutput: acceptsOutput).usage)
                exit(0)
            }
        } catch {
            let usage = ExampleArguments(program: program, acceptsOutput: acceptsOutput).usage
            FileHandle.standardError.write(Data("\(program): \(error.message)\n\(usage)\n".utf8))
            exit(2)
        }
    }

    /// A whole number within `range`, or an error naming `name`.
    private static func integer(_ text: String, for name: String, in range: ClosedRange<Int>) throws(ArgumentError) -> Int {
        guard let value = Int(text) else {
            throw ArgumentError("\(name) must be a whole number, not '\(text)'")
        }
        guard range.contains(value) else {
            throw ArgumentError("\(name) must be from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
        return value
    }
}
