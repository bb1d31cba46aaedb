import ExampleSupport
import Foundation

/// What `MentoringHours` was asked to do: the report (the default), `follow` or `query`.
///
/// The report takes the shared ``ExampleArguments``; the two modes start with their word and the
/// ledger's directory and are parsed here.
enum HoursCommand: Sendable, Equatable {
    /// Simulate into a temporary ledger and print the CSV (or write it to `--output`).
    case report(ExampleArguments)
    /// Simulate into the ledger at a directory, catching the projection up after each batch.
    case follow(Follow)
    /// Read one mentor's month from the projection stored in a ledger, opened read-only.
    case query(Query)
    /// `--help` or `-h`.
    case help

    /// The arguments of `follow DIR`.
    struct Follow: Sendable, Equatable {
        /// The ledger's directory (created).
        var directory: String
        /// The mentorships, months and seed to simulate.
        var simulation: ExampleArguments
        /// How long to wait after each catch-up, in milliseconds (0 to 10,000), so another
        /// terminal can watch; 0 by default.
        var pauseMilliseconds = 0
    }

    /// The arguments of `query DIR`.
    struct Query: Sendable, Equatable {
        /// The ledger's directory.
        var directory: String
        /// The mentor whose month is asked for.
        var mentor: UUID
        /// The month.
        var month: CalendarMonth
    }

    static let program = "MentoringHours"

    /// The usage of all three forms.
    static let usage = """
        usage: \(program) [--mentorships N] [--months N] [--seed N] [--output FILE]
               \(program) follow DIR [--mentorships N] [--months N] [--seed N] [--pause MS]
               \(program) query DIR --mentor UUID --month YYYY-MM
        """

    /// Parses the arguments that follow the program name.
    ///
    /// - Throws: An ``ArgumentError`` naming the argument at fault.
    static func parse(_ arguments: [String]) throws(ArgumentError) -> HoursCommand {
        switch arguments.first {
        case "follow": return try parseFollow(Array(arguments.dropFirst()))
        case "query": return try parseQuery(Array(arguments.dropFirst()))
        default:
            switch try ExampleArguments.parse(arguments, program: program, acceptsOutput: true) {
            case .run(let report): return .report(report)
            case .help: return .help
            }
        }
    }

    /// Parses `CommandLine.arguments`; prints the usage and exits 0 for `--help`, and prints the
    /// error and the usage to standard error and exits 2 for bad arguments.
    static func fromCommandLine() -> HoursCommand {
        do {
            let command = try parse(Array(CommandLine.arguments.dropFirst()))
            if command == .help {
                print(usage)
                exit(0)
            }
            return command
        } catch {
            FileHandle.standardError.write(Data("\(program): \(error.message)\n\(usage)\n".utf8))
            exit(2)
        }
    }

    // MARK: - The modes

    private static func parseFollow(_ arguments: [String]) throws(ArgumentError) -> HoursCommand {
        let options = try Options(arguments, mode: "follow", own: ["--pause"])
        if options.help { return .help }
        var follow = Follow(directory: options.directory, simulation: ExampleArguments(program: program))
        if let pause = options.values["--pause"] {
            guard let value = Int(pause), (0...10_000).contains(value) else {
                throw ArgumentError("--pause must be a whole number of milliseconds from 0 to 10000, not '\(pause)'")
            }
            follow.pauseMilliseconds = value
        }
        switch try ExampleArguments.parse(options.rest, program: program) {
        case .run(let simulation): follow.simulation = simulation
        case .help: return .help
        }
        return .follow(follow)
    }

    private static func parseQuery(_ arguments: [String]) throws(ArgumentError) -> HoursCommand {
        let options = try Options(arguments, mode: "query", own: ["--mentor", "--month"])
        if options.help { return .help }
        if let unknown = options.rest.first { throw ArgumentError("unknown argument '\(unknown)'") }
        guard let mentorText = options.values["--mentor"] else { throw ArgumentError("query needs --mentor UUID") }
        guard let monthText = options.values["--month"] else { throw ArgumentError("query needs --month YYYY-MM") }
        guard let mentor = UUID(uuidString: mentorText) else {
            throw ArgumentError("--mentor must be a UUID such as 0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9, not '\(mentorText)'")
        }
        guard let month = CalendarMonth(parsing: monthText) else {
            throw ArgumentError("--month must be a month written YYYY-MM, such as 2026-03, not '\(monthText)'")
        }
        return .query(Query(directory: options.directory, mentor: mentor, month: month))
    }

    /// A mode's arguments split into its directory, its own options (`--name value` or
    /// `--name=value`) and the rest, in order.
    private struct Options {
        var directory = ""
        var values: [String: String] = [:]
        var rest: [String] = []
        var help = false

        init(_ arguments: [String], mode: String, own: Set<String>) throws(ArgumentError) {
            if arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
                help = true
                return
            }
            guard let first = arguments.first, !first.hasPrefix("-") else {
                throw ArgumentError("\(mode) needs the ledger's directory: \(program) \(mode) DIR …")
            }
            directory = first
            var index = 1
            while index < arguments.count {
                let argument = arguments[index]
                index += 1
                var name = argument
                var value: String?
                if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                    name = String(argument[..<equals])
                    value = String(argument[argument.index(after: equals)...])
                }
                guard own.contains(name) else {
                    rest.append(argument)
                    // A shared option's value goes with it.
                    if value == nil, argument.hasPrefix("--"), index < arguments.count, !arguments[index].hasPrefix("--") {
                        rest.append(arguments[index])
                        index += 1
                    }
                    continue
                }
                if value == nil {
                    guard index < arguments.count, !arguments[index].hasPrefix("--") else { throw ArgumentError("\(name) needs a value") }
                    value = arguments[index]
                    index += 1
                }
                guard values[name] == nil else { throw ArgumentError("\(name) is given twice") }
                values[name] = value
            }
        }
    }
}
