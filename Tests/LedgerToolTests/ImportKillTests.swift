import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// `ledger import` killed with SIGKILL at random moments of a large import, over many rounds: the
/// target holds nothing of the file or all of it, never part of it.
///
/// - A **new ledger** (TARGET missing or an empty directory) is built in `.<name>.import-<pid>`
///   beside it and moved into place at the end: afterwards TARGET is missing (or still the empty
///   directory) or a ledger holding the whole file, intact; the next import into it succeeds (or
///   finds every line already stored) and removes the staging directory the killed one left.
/// - An **existing ledger** (made with `ledger init`, empty or holding another program) commits
///   the file in one transaction: afterwards its head is unchanged or holds the whole file after
///   what it held, intact, and a killed writer does not keep the next import out.
/// - `--faithful` copies, into a new and into an initialised empty ledger, end the same way.
///
/// Each round's kill comes after a seeded random delay spread over the time a complete import
/// takes (measured first), from before the child starts writing to past its end.
/// `LEDGER_KILL_ROUNDS` sets the rounds per path (default 6; the soak runs 60),
/// `LEDGER_KILL_SEED` the seed. Each test prints a `kill recovery (ledger import, …)` line with how
/// many rounds ended unchanged and how many whole.
@Suite("ledger import killed with SIGKILL", .serialized)
struct ImportKillTests {
    static var rounds: Int { max(2, Int(ProcessInfo.processInfo.environment["LEDGER_KILL_ROUNDS"] ?? "") ?? 6) }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["LEDGER_KILL_SEED"] ?? "") ?? 0x5EED_1A4B }
    /// The kills are spread over this multiple of a complete import's duration: the last stratum
    /// of rounds falls after the end.
    static let spread = 1.3

    @Test("a new ledger: after the kill TARGET is missing, an empty directory or the whole file; the next import succeeds and removes the staging directory")
    func newLedger() throws {
        let source = try ImportKillSource(label: "import-kill-new", timing: [.newLedger])
        var random = SeededGenerator(seed: Self.seed)
        var tally = KillTally()
        let plan = Self.delays(rounds: Self.rounds, random: &random)
        for (round, fraction) in plan.enumerated() {
            let outcome = try newLedgerRound(source, round: round, fraction: fraction, emptyDirectory: round % 3 == 2, faithful: false)
            tally.add(outcome)
        }
        // Both outcomes must have been seen; kill after the end once more when none was whole.
        if tally.whole == 0 {
            tally.add(try newLedgerRound(source, round: plan.count, fraction: 3, emptyDirectory: false, faithful: false))
        }
        tally.report("kill recovery (ledger import, new ledger)", duration: source.newDuration, events: source.count)
    }

    @Test("an existing ledger (init, empty or holding another program): after the kill its head is unchanged or holds the whole file; verify says intact; the next import succeeds")
    func existingLedger() throws {
        let source = try ImportKillSource(label: "import-kill-existing", timing: [.existingLedger])
        var random = SeededGenerator(seed: Self.seed ^ 0xE715_7146)
        var tally = KillTally()
        let plan = Self.delays(rounds: Self.rounds, random: &random)
        for (round, fraction) in plan.enumerated() {
            tally.add(try existingLedgerRound(source, round: round, fraction: fraction, base: round % 2 == 0 ? source.otherBase : source.emptyBase, faithful: false))
        }
        if tally.whole == 0 {
            tally.add(try existingLedgerRound(source, round: plan.count, fraction: 3, base: source.otherBase, faithful: false))
        }
        tally.report("kill recovery (ledger import, existing ledger)", duration: source.existingDuration, events: source.count)
    }

    @Test("--faithful into a new and into an initialised empty ledger: after the kill nothing or the exact copy, with the source's head")
    func faithful() throws {
        let source = try ImportKillSource(label: "import-kill-faithful", timing: [.faithful])
        var random = SeededGenerator(seed: Self.seed ^ 0xFA17_4F01)
        var tally = KillTally()
        let rounds = max(2, Self.rounds / 10)
        for round in 0..<rounds {
            let fraction = (Double(round) + Self.unit(&random)) * Self.spread / Double(rounds)
            if round % 2 == 0 {
                tally.add(try newLedgerRound(source, round: round, fraction: fraction, emptyDirectory: false, faithful: true))
            } else {
                tally.add(try existingLedgerRound(source, round: round, fraction: fraction, base: source.emptyBase, faithful: true))
            }
        }
        tally.report("kill recovery (ledger import --faithful)", duration: source.faithfulDuration, events: source.count, requireBoth: false)
    }

    // MARK: - Rounds

    /// One kill of an import into a new ledger at `fraction` of a complete import's duration, the
    /// checks, and the next import into the same directory.
    func newLedgerRound(_ source: ImportKillSource, round: Int, fraction: Double, emptyDirectory: Bool, faithful: Bool) throws -> KillOutcome {
        let fixture = source.fixture
        let name = "\(faithful ? "faithful" : "new")-\(round)"
        let target = fixture.path(name)
        if emptyDirectory { try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false) }
        defer { try? FileManager.default.removeItem(atPath: target) }
        let arguments = source.importArguments(target, faithful: faithful)
        let delay = fraction * (faithful ? source.faithfulDuration : source.newDuration)
        let ending = try Self.runAndKill(arguments, after: delay)
        let context = "round \(round) (\(faithful ? "--faithful, " : "")\(emptyDirectory ? "empty directory, " : "")killed after \(Self.format(delay)) s, \(ending))"

        let leftovers = try Self.staging(fixture, name)
        var outcome = KillOutcome(ending: ending, leftStaging: !leftovers.isEmpty)
        if Self.isMissingOrEmpty(target) {
            outcome.whole = false
            #expect(FileManager.default.fileExists(atPath: target) == emptyDirectory, "\(context): the empty directory is left as it was")
            #expect(ending != .finished, "\(context): the import finished, yet nothing is in place")
        } else {
            outcome.whole = true
            #expect(leftovers.isEmpty, "\(context): the ledger is in place, yet a staging directory is left: \(leftovers)")
            try source.expectWhole(target, after: nil, faithful: faithful, context)
        }

        // The next import into the same directory.
        let next = try fixture.run(arguments)
        if !outcome.whole {
            #expect(next.status == 0, "\(context): the next import failed: \(next.error)")
            #expect(next.output.contains("\(faithful ? "copied" : "imported") \(source.count) events at positions 1-\(source.count)"), "\(context): \(next.output)")
            try source.expectWhole(target, after: nil, faithful: faithful, "\(context), after the next import")
        } else if faithful {
            #expect(next.status == 1, "\(context): a faithful import into the full ledger must be refused")
            #expect(next.error.contains("a faithful import copies a ledger into an empty one; this ledger holds \(source.count) events"), "\(context): \(next.error)")
        } else {
            #expect(next.status == 0, "\(context): the repeated import failed: \(next.error)")
            #expect(next.output.contains("imported 0 events for 0 mentorships from \(source.count) lines; \(source.count) already stored"), "\(context): \(next.output)")
            #expect(try fixture.eventCount(name) == Int64(source.count), "\(context): the repeated import appended something")
        }
        #expect(try Self.staging(fixture, name).isEmpty, "\(context): the next import left the killed one's staging directory: \(leftovers)")
        return outcome
    }

    /// One kill of an import into a copy of `base` (an initialised ledger) at `fraction` of a
    /// complete import's duration, the checks, and (when nothing was written) a complete import.
    func existingLedgerRound(_ source: ImportKillSource, round: Int, fraction: Double, base: ImportKillSource.Base, faithful: Bool) throws -> KillOutcome {
        let fixture = source.fixture
        let name = "\(faithful ? "faithful" : "existing")-\(round)"
        let target = fixture.path(name)
        try FileManager.default.copyItem(atPath: fixture.path(base.name), toPath: target)
        defer { try? FileManager.default.removeItem(atPath: target) }
        let arguments = source.importArguments(target, faithful: faithful)
        let delay = fraction * (faithful ? source.faithfulDuration : source.existingDuration)
        let ending = try Self.runAndKill(arguments, after: delay)
        let context = "round \(round) (\(faithful ? "--faithful, " : "")\(base.name) holding \(base.count) events, killed after \(Self.format(delay)) s, \(ending))"

        let stats = try fixture.stats(name)
        guard case .number(let events)? = stats["events"], let count = events.int64, case .string(let hash)? = stats["headHash"] else {
            Issue.record("\(context): stats printed no event count or head hash")
            return KillOutcome(ending: ending, leftStaging: false)
        }
        var outcome = KillOutcome(ending: ending, leftStaging: false)
        if count == Int64(base.count) {
            outcome.whole = false
            #expect(hash == base.headHash, "\(context): the head moved without the file being imported")
            #expect(ending != .finished, "\(context): the import finished, yet the head is unchanged")
            let verify = try fixture.run(["verify", target])
            #expect(verify.status == 0 && verify.output.hasPrefix("intact: \(base.count) events"), "\(context): \(verify.output) \(verify.error)")
            // A killed writer does not keep the next one out: the complete import goes in.
            let next = try fixture.run(arguments)
            #expect(next.status == 0, "\(context): the import after the kill failed: \(next.error)")
            let first = base.count + 1
            #expect(next.output.contains("\(faithful ? "copied" : "imported") \(source.count) events at positions \(first)-\(base.count + source.count)"), "\(context): \(next.output)")
            try source.expectWhole(target, after: base, faithful: faithful, "\(context), after the next import")
        } else {
            outcome.whole = true
            #expect(count == Int64(base.count + source.count), "\(context): the ledger holds \(count) events: neither the \(base.count) it held nor those and the file's \(source.count)")
            try source.expectWhole(target, after: base, faithful: faithful, context)
        }
        return outcome
    }

    // MARK: - Helpers

    /// The kill delays, as fractions of a complete import's duration: one stratum of
    /// `0..<spread` per round, a seeded random point in each; the first round is killed at once
    /// (before the child writes anything).
    static func delays(rounds: Int, random: inout SeededGenerator) -> [Double] {
        (0..<rounds).map { round in round == 0 ? 0 : (Double(round) + unit(&random)) * spread / Double(rounds) }
    }

    /// A seeded random number in 0..<1.
    static func unit(_ random: inout SeededGenerator) -> Double {
        Double(random.next() % 1_000_000) / 1_000_000
    }

    /// Starts `ledger arguments…`, waits `delay` seconds (or until it exits by itself), then kills it
    /// with SIGKILL and reaps it.
    static func runAndKill(_ arguments: [String], after delay: Double) throws -> KillOutcome.Ending {
        let (process, output) = try ToolProcess.start(arguments)
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        var ending = KillOutcome.Ending.finished
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            ending = .killed
        }
        process.waitUntilExit()
        try? output.fileHandleForReading.close()
        if ending == .finished {
            #expect(process.terminationReason == .exit && process.terminationStatus == 0, "ledger \(arguments.joined(separator: " ")) failed on its own: status \(process.terminationStatus)")
        } else if process.terminationReason == .exit {
            // It exited between the last look and the signal.
            ending = .finished
        }
        return ending
    }

    /// The staging directories of imports into `name` left in the fixture's directory.
    static func staging(_ fixture: ToolFixture, _ name: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path).filter { $0.hasPrefix(".\(name).import-") }
    }

    static func isMissingOrEmpty(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return true }
        return isDirectory.boolValue && ((try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty ?? false)
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
}

/// How one round ended.
struct KillOutcome {
    enum Ending: CustomStringConvertible {
        /// SIGKILL ended the child.
        case killed
        /// The child had exited by itself before the kill.
        case finished

        var description: String { self == .killed ? "killed" : "finished before the kill" }
    }

    let ending: Ending
    /// Whether the killed import left its staging directory beside the target.
    let leftStaging: Bool
    /// Whether the target held the whole file afterwards (else: nothing of it).
    var whole = false

    init(ending: Ending, leftStaging: Bool) {
        self.ending = ending
        self.leftStaging = leftStaging
    }
}

/// The counts the tests print.
struct KillTally {
    var rounds = 0
    var unchanged = 0
    var whole = 0
    var wholeKilled = 0
    var finished = 0
    var leftStaging = 0

    mutating func add(_ outcome: KillOutcome) {
        rounds += 1
        if outcome.whole { whole += 1 } else { unchanged += 1 }
        if outcome.whole, outcome.ending == .killed { wholeKilled += 1 }
        if outcome.ending == .finished { finished += 1 }
        if outcome.leftStaging { leftStaging += 1 }
    }

    func report(_ label: String, duration: Double, events: Int, requireBoth: Bool = true) {
        let staging = leftStaging > 0 ? "; \(leftStaging) killed imports left a staging directory, each removed by the next import" : ""
        print("\(label): \(rounds) rounds of a \(events)-event import (\(ImportKillTests.format(duration)) s complete): \(unchanged) unchanged, \(whole) whole (\(wholeKilled) killed after the commit, \(finished) finished before the kill), 0 partial\(staging)")
        if requireBoth {
            #expect(unchanged > 0, "\(label): no round ended with the target unchanged; kill earlier")
            #expect(whole > 0, "\(label): no round ended with the whole file; kill later")
        }
    }
}

/// A simulated program's export, large enough that importing it takes a noticeable time, the
/// ledgers rounds start from, and what a complete import yields.
struct ImportKillSource {
    /// An initialised ledger a round copies: its name in the fixture, its event count, head and
    /// export.
    struct Base {
        let name: String
        let count: Int
        let headHash: String
        let export: Data
    }

    let fixture: ToolFixture
    let file: String
    let admins: String
    /// The events in the file.
    let count: Int
    /// The source ledger's head hash (a faithful copy's).
    let sourceHead: String
    /// What each exported line says, apart from what a plain import assigns anew.
    let lineKeys: [String]
    /// The source's streams and events by type, as `stats` prints them.
    let streams: JSONValue?
    let byType: JSONValue?
    let emptyBase: Base
    let otherBase: Base
    /// Seconds a complete import takes, as a child process: into a new ledger, into an existing
    /// one holding another program, and a faithful copy.
    private(set) var newDuration = 0.0
    private(set) var existingDuration = 0.0
    private(set) var faithfulDuration = 0.0

    /// The complete imports to time (and check whole) first.
    enum Reference { case newLedger, existingLedger, faithful }

    init(label: String, timing: Set<Reference>) throws {
        fixture = try ToolFixture(label)
        #if DEBUG
        let mentorships = 50
        #else
        let mentorships = 400
        #endif
        admins = try fixture.simulate("source", mentorships: mentorships, months: 4, seed: 11)
        file = fixture.path("source.ndjson")
        try fixture.succeed(["export", fixture.path("source"), "-o", file])
        count = Int(try fixture.eventCount("source"))
        sourceHead = try fixture.headHash("source")
        let stats = try fixture.stats("source")
        streams = stats["streams"]
        byType = stats["byType"]
        lineKeys = try Self.keys(try String(contentsOfFile: file, encoding: .utf8))

        // Another program, imported into an initialised ledger: the "other" base.
        let otherAdmins = try fixture.simulate("other", mentorships: 6, months: 2, seed: 12)
        let otherFile = fixture.path("other.ndjson")
        try fixture.succeed(["export", fixture.path("other"), "-o", otherFile])
        try fixture.succeed(["init", fixture.path("base-other")])
        try fixture.succeed(["import", fixture.path("base-other"), otherFile, "--admins-file", otherAdmins])
        try fixture.succeed(["init", fixture.path("base-empty")])
        emptyBase = try Self.base(fixture, "base-empty")
        otherBase = try Self.base(fixture, "base-other")

        // Complete imports, timed: the reference the kills are spread over, each checked whole.
        if timing.contains(.newLedger) {
            newDuration = try timed(importArguments(fixture.path("reference-new"), faithful: false))
            try expectWhole(fixture.path("reference-new"), after: nil, faithful: false, "the reference import into a new ledger")
        }
        if timing.contains(.existingLedger) {
            try FileManager.default.copyItem(atPath: fixture.path("base-other"), toPath: fixture.path("reference-existing"))
            existingDuration = try timed(importArguments(fixture.path("reference-existing"), faithful: false))
            try expectWhole(fixture.path("reference-existing"), after: otherBase, faithful: false, "the reference import into an existing ledger")
        }
        if timing.contains(.faithful) {
            faithfulDuration = try timed(importArguments(fixture.path("reference-faithful"), faithful: true))
            try expectWhole(fixture.path("reference-faithful"), after: nil, faithful: true, "the reference faithful import")
        }
        for name in ["reference-new", "reference-existing", "reference-faithful"] { try? FileManager.default.removeItem(atPath: fixture.path(name)) }
    }

    /// Seconds `ledger arguments…` takes to run to completion (it must succeed).
    private func timed(_ arguments: [String]) throws -> Double {
        let start = Date()
        try fixture.succeed(arguments)
        return Date().timeIntervalSince(start)
    }

    func importArguments(_ target: String, faithful: Bool) -> [String] {
        ["import", target, file, "--admins-file", admins] + (faithful ? ["--faithful"] : [])
    }

    /// Expects `target` to hold what `base` held (nothing, when `nil`) followed by the whole file:
    /// intact, every line in order, a faithful copy the source exactly.
    func expectWhole(_ target: String, after base: Base?, faithful: Bool, _ context: String) throws {
        let held = base?.count ?? 0
        let total = held + count
        let verify = try fixture.run(["verify", target])
        #expect(verify.status == 0, "\(context): verify: \(verify.output) \(verify.error)")
        #expect(verify.output.hasPrefix("intact: \(total) events"), "\(context): \(verify.output)")
        let name = URL(fileURLWithPath: target).lastPathComponent
        let stats = try fixture.stats(name)
        #expect(stats["events"] == .number(JSONNumber(Int64(total))), "\(context): \(String(describing: stats["events"]))")
        #expect(stats["lastPosition"] == .number(JSONNumber(Int64(total))), "\(context)")
        if base == nil {
            #expect(stats["streams"] == streams, "\(context): the streams")
            #expect(stats["byType"] == byType, "\(context): the events by type")
        }
        if faithful {
            #expect(stats["headHash"] == .string(sourceHead), "\(context): a faithful copy has the source's head")
            let export = try fixture.succeed(["export", target]).outputBytes
            #expect(export == (try Data(contentsOf: URL(fileURLWithPath: file))), "\(context): a faithful copy exports byte for byte as the source")
        } else {
            let export = try fixture.succeed(["export", target, "--from", String(held + 1)]).output
            let keys = try Self.keys(export)
            #expect(keys.count == count, "\(context): \(keys.count) events after position \(held), the file has \(count)")
            if keys != lineKeys {
                let first = (0..<min(keys.count, lineKeys.count)).first { keys[$0] != lineKeys[$0] } ?? min(keys.count, lineKeys.count)
                Issue.record("\(context): the events after position \(held) differ from the file's lines from line \(first + 1)")
            }
        }
        if let base, held > 0 {
            let before = try fixture.succeed(["export", target, "--through", String(held)]).outputBytes
            #expect(before == base.export, "\(context): the \(held) events the ledger held are untouched")
        }
    }

    static func base(_ fixture: ToolFixture, _ name: String) throws -> Base {
        Base(name: name, count: Int(try fixture.eventCount(name)), headHash: try fixture.headHash(name),
             export: try fixture.succeed(["export", fixture.path(name)]).outputBytes)
    }

    /// For each line of an export, what a plain import keeps: the line without its position,
    /// recorded-at, hashes and canonical bytes (which it assigns anew). Cut as text, by the export's
    /// fixed field order (see Docs/ExportFormat.md): position first, the hashes and canonical last.
    static func keys(_ text: String) throws -> [String] {
        try ToolFixture.lines(text).map { line in
            guard let stream = line.range(of: #","stream":"#), let hashes = line.range(of: #","previousHash":"#),
                  let recorded = line.range(of: #","recordedAt":""#),
                  let recordedEnd = line[recorded.upperBound...].firstIndex(of: "\"") else {
                throw ToolFixtureError("not an export line: \(line.prefix(200))")
            }
            return String(line[stream.lowerBound..<recorded.lowerBound]) + String(line[line.index(after: recordedEnd)..<hashes.lowerBound])
        }
    }
}
