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
        Without --as-of or --position the report is read from the read models kept in the ledger: \
        they are caught up first (only the events appended since are folded and written back), so \
        a report of one --mentorship costs about what opening the ledger costs. A ledger that \
        cannot be written, or --read-only, folds every event in memory instead and writes nothing. \
        The metrics are evaluated at the last event's recorded-at. \
        Time travel: --as-of TIME folds (in memory) only the events recorded at or before TIME and \
        evaluates the metrics at TIME (the report as it would have been printed then); --position \
        N folds positions 1 to N and evaluates at N's recorded-at. --at TIME (or now) sets the \
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

    @Flag(help: "Fold in memory and write nothing, even when the ledger is writable (as for an auditor's read-only copy).")
    var readOnly = false

    func run() throws {
        // The present comes from the read models kept in the ledger (caught up first); the past
        // (--as-of, --position) and a ledger that cannot be written are folded in memory.
        let timeTravel = asOf != nil || position != nil
        let persisted = !timeTravel && !readOnly && FileManager.default.isWritableFile(atPath: location.directory)
        let ledger = try location.open(readOnly: !persisted)
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
        var text: String? = nil
        if persisted {
            let models = try AccountabilityReadModels(ledger: ledger, eventsPerCommit: 100_000)
            let lag = try models.status().lag
            let bar = ProgressBar("catching up the read models", total: head.position)
            try models.catchUp { [bar] position in if lag > 65_536 { bar.update(position) } }
            if lag > 65_536 { bar.finish(head.position) }
            do {
                text = try models.read { try render($0, ledger: ledger, evaluateAt: evaluateAt, knownAt: knownAt) }
            } catch is SettledRecordError {
                // --at before what the stored records answer exactly: fold every fact in memory.
                text = nil
            }
        }
        if text == nil {
            // The present of a read-only ledger settles as the stored models do; the past and an
            // --at the stored records cannot answer keep every fact.
            let settling: RecordSettling = persisted || timeTravel || evaluateAt != nil ? .never : .standard
            let bar = ProgressBar("replaying \(model.rawValue)", total: position ?? head.position)
            let folded = try ledger.replay(keyed: ObservedModels(settling: settling, progress: { [bar] in bar.update($0) }), query)
            bar.finish(folded.position)
            text = try render(AccountabilitySnapshot(rows: folded.state, position: folded.position),
                              ledger: ledger, evaluateAt: evaluateAt, knownAt: knownAt)
        }
        var out = OutputBuffer()
        try out.append(text ?? "")
        try out.flush()
    }

    /// The report of the selected mentorships, evaluated at `evaluateAt` (or the recorded-at of
    /// the last event the snapshot reflects).
    private func render(_ snapshot: AccountabilitySnapshot, ledger: Ledger, evaluateAt: Timestamp?, knownAt: Timestamp?) throws -> String {
        let folded = snapshot.position
        let last = folded == 0 ? nil : try ledger.read { try $0.event(at: folded) }.map { (hash: $0.chainHash, recordedAt: $0.recordedAt) }
        let time = evaluateAt ?? last?.recordedAt ?? Timestamp(microsecondsSinceEpoch: 0)
        var records: [MentorshipRecord]
        var filters: [(String, UUID)] = []
        if let text = mentorship, let id = UUID(uuidString: text) {
            filters.append(("mentorship", id))
            records = try snapshot.record(mentorship: id).map { [$0] } ?? []
        } else if let text = participant, let person = UUID(uuidString: text) {
            records = try snapshot.records(ofParticipant: person)
        } else {
            records = try snapshot.records()
        }
        if let text = participant, let person = UUID(uuidString: text) {
            filters.append(("participant", person))
            records = records.filter { $0.mentor == person || $0.mentee == person }
        }
        try SettledRecordError.check(records, asOf: time)
        let table = model.table(AccountabilityReports(records: records, asOf: time))
        let context = ReplayContext(asOf: time, position: folded, hash: last?.hash ?? .genesis, knownAt: knownAt,
                                    eventsApplied: try snapshot.eventsFolded(), filters: filters)
        return String(ReportRenderer.render(table, format, context: context).dropLast())
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
