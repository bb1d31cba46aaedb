import Accountability
import ArgumentParser
import EventLedger
import Foundation

extension ReportFormat: ExpressibleByArgument {}

/// `ledger replay DIR MODEL`: folds a read model and prints its report, optionally as it was at
/// a past time or position.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Fold a read model (progress, engagement, commitment, health, nudges) and print its report.",
        discussion: """
        Time travel: --as-of TIME folds only the events recorded at or before TIME and evaluates \
        the metrics at TIME (the report as it would have been printed then); --position N folds \
        positions 1 to N and evaluates at N's recorded-at. Without either, every event is folded \
        and the metrics are evaluated at the last event's recorded-at. --at TIME (or now) sets the \
        evaluation time alone. The rows and the JSON fields are documented in Docs/CLI.md \
        (`ledger columns MODEL` prints a model's columns).
        """
    )

    @OptionGroup var location: LedgerLocation

    @Argument(help: "progress, engagement, commitment, health or nudges.")
    var model: ReportModel

    @Option(help: ArgumentHelp("Time travel: only events recorded at or before this RFC 3339 time (or now).", valueName: "time"))
    var asOf: String?

    @Option(help: "Time travel: only positions 1 through N.")
    var position: UInt64?

    @Option(help: ArgumentHelp("Evaluate the metrics at this RFC 3339 time (or now) without changing which events are folded.", valueName: "time"))
    var at: String?

    @Option(help: "Only the rows of this mentorship (a UUID).")
    var mentorship: String?

    @Option(help: "Only the rows of mentorships in which this person (a UUID) is the mentor or the mentee.")
    var participant: String?

    @Option(help: "table, json or csv.")
    var format: ReportFormat = .table

    func validate() throws {
        if asOf != nil && position != nil { throw ValidationError("--as-of and --position are two ways of choosing the past; give one") }
        if let asOf { _ = try Self.time(asOf, "--as-of") }
        if let at { _ = try Self.time(at, "--at") }
        if let mentorship, UUID(uuidString: mentorship) == nil { throw ValidationError("--mentorship \(mentorship) is not a UUID") }
        if let participant, UUID(uuidString: participant) == nil { throw ValidationError("--participant \(participant) is not a UUID") }
        if position == 0 { throw ValidationError("--position must be 1 or more") }
    }

    static func time(_ text: String, _ option: String) throws -> Timestamp {
        if text == "now" { return .now() }
        do {
            return try Timestamp(rfc3339: text)
        } catch {
            throw ValidationError("\(option) \(text): \(error.reason); expected an RFC 3339 time such as 2026-03-01T15:00:00Z, or now")
        }
    }

    func run() throws {
        let ledger = try location.open(readOnly: true)
        defer { ledger.close() }
        let head = try ledger.head()
        var query = EventQuery.all()
        var knownAt: Timestamp?
        var evaluateAt = try at.map { try Self.time($0, "--at") }
        if let position {
            guard position <= head.position else {
                throw ToolError("--position \(position) is past the head (position \(head.position))")
            }
            query = query.through(position: position)
        }
        if let asOf {
            let time = try Self.time(asOf, "--as-of")
            query = query.recorded(upTo: time)
            knownAt = time
            if evaluateAt == nil { evaluateAt = time }
        }
        let bar = ProgressBar("replaying \(model.rawValue)", total: position ?? head.position)
        let progress: @Sendable (UInt64) -> Void = { [bar] in bar.update($0) }
        var (table, folded, applied, time) = try model.replay(ledger, query, asOf: evaluateAt, progress: progress)
        bar.finish(folded)
        var filters: [(String, UUID)] = []
        if let text = mentorship, let id = UUID(uuidString: text) {
            filters.append(("mentorship", id))
            table = Self.keep(table) { $0 == id }
        }
        if let text = participant, let person = UUID(uuidString: text) {
            filters.append(("participant", person))
            let theirs = try Self.mentorships(of: person, ledger: ledger, through: folded)
            table = Self.keep(table) { theirs.contains($0) }
        }
        let hash = folded == 0 ? ChainHash.genesis : try ledger.read { try $0.event(at: folded)?.chainHash } ?? .genesis
        let context = ReplayContext(asOf: time, position: folded, hash: hash, knownAt: knownAt, eventsApplied: applied, filters: filters)
        var out = OutputBuffer()
        try out.append(String(ReportRenderer.render(table, format, context: context).dropLast()))
        try out.flush()
    }

    static func keep(_ table: ReportTable, _ include: (UUID) -> Bool) -> ReportTable {
        var kept = table
        kept.rows = []
        kept.rowMentorships = []
        for (row, mentorship) in zip(table.rows, table.rowMentorships) where include(mentorship) {
            kept.rows.append(row)
            kept.rowMentorships.append(mentorship)
        }
        return kept
    }

    /// The mentorships `person` is the mentor or the mentee of, started at or before `position`.
    static func mentorships(of person: UUID, ledger: Ledger, through position: UInt64) throws -> Set<UUID> {
        guard position > 0 else { return [] }
        return try ledger.read { reader in
            var found: Set<UUID> = []
            try reader.forEach(EventQuery.type(MentorshipStarted.eventType).through(position: position)) { record in
                let start = try reader.decode(record, as: MentorshipStarted.self)
                if start.mentor == person || start.mentee == person { found.insert(start.mentorship) }
            }
            return found
        }
    }
}

/// `ledger columns MODEL`: the model's columns as a Markdown table (the source of Docs/CLI.md).
struct ColumnsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "columns",
        abstract: "Print a read model's report columns (the CSV header and JSON row fields) as Markdown."
    )

    @Argument(help: "progress, engagement, commitment, health or nudges.")
    var model: ReportModel

    func run() throws {
        var text = "| field | meaning |\n|---|---|\n"
        for column in model.columns { text += "| `\(column.name)` | \(column.help) |\n" }
        try StandardStreams.print(String(text.dropLast()))
    }
}
