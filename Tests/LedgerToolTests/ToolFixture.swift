import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// A temporary directory with helpers to run the `ledger` tool in it and read what it printed.
struct ToolFixture {
    let directory: TemporaryDirectory

    init(_ label: String = "tool") throws {
        directory = try TemporaryDirectory(label)
    }

    /// A path inside the fixture's directory.
    func path(_ name: String) -> String { directory.child(name).path }

    /// Runs `ledger arguments…`.
    @discardableResult
    func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:]) throws -> ToolProcess.Outcome {
        try ToolProcess.run(arguments, input: input, environment: environment)
    }

    /// Runs `ledger arguments…` and expects exit status 0.
    @discardableResult
    func succeed(_ arguments: [String], input: Data? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> ToolProcess.Outcome {
        let outcome = try run(arguments, input: input)
        #expect(outcome.status == 0, "ledger \(arguments.joined(separator: " ")) failed: \(outcome.error)", sourceLocation: sourceLocation)
        return outcome
    }

    /// Simulates a program into `name` and returns its admins file's path.
    @discardableResult
    func simulate(_ name: String, mentorships: Int = 30, months: Int = 3, seed: UInt64 = 1) throws -> String {
        let admins = path("\(name)-admins.json")
        try succeed(["simulate", path(name), "--mentorships", String(mentorships), "--months", String(months),
                     "--seed", String(seed), "--admins-file", admins])
        return admins
    }

    /// `ledger stats DIR --format json`, parsed.
    func stats(_ name: String) throws -> JSONObject {
        let outcome = try succeed(["stats", path(name), "--format", "json"])
        return try Self.object(outcome.output)
    }

    /// The number of events in the ledger `name`.
    func eventCount(_ name: String) throws -> Int64 {
        guard case .number(let count)? = try stats(name)["events"], let value = count.int64 else {
            throw ToolFixtureError("stats printed no event count")
        }
        return value
    }

    /// The head hash of the ledger `name`.
    func headHash(_ name: String) throws -> String {
        guard case .string(let hash)? = try stats(name)["headHash"] else { throw ToolFixtureError("stats printed no head hash") }
        return hash
    }

    /// Parses one JSON object.
    static func object(_ text: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(Array(text.utf8)) else {
            throw ToolFixtureError("not a JSON object: \(text.prefix(200))")
        }
        return object
    }

    /// The lines of `text`, without empty ones.
    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map(String.init)
    }
}

struct ToolFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
