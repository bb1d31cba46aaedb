import EventLedger
public import Foundation

/// Imports a file in the interchange format (DESIGN section 10) into a ledger, **all or nothing**.
///
/// Every line is read and checked before anything is written: its JSON and fields
/// (``InterchangeLine``), then the rules every command passes (``MentorshipRules``, exactly as
/// ``AccountabilityLedger/record(_:)-(MentorshipCommand)`` checks them, each command against the
/// state the lines before it leave). The first bad line stops the import with an
/// ``InterchangeError`` naming its line number, the field and the reason, and nothing from the
/// file is written. Then every event is appended in **one transaction**.
///
/// - A line whose `id` is already stored with the same content is skipped (so importing a file
///   twice appends it once); with other content it is an error. So is an id used twice in the
///   file with different content.
/// - Blank lines are skipped.
/// - Within a mentorship, events keep the file's order. The ledger's positions group the events
///   by mentorship, in the order the mentorships first appear in the file.
/// - The whole file is held in memory while it is checked (about 1.3 KB per event: 1.3 GB
///   for a 979,887-event export, measured).
public struct InterchangeImporter: Sendable {
    /// The ledger the events are recorded on, with its admins.
    public let log: AccountabilityLedger
    /// The longest line accepted, in bytes. Default: 1 MiB (an event's texts are at most a few KB).
    public var maximumLineLength = 1 << 20
    /// How often the import is checked again after another writer appended to one of its
    /// mentorships meanwhile. Default: 4.
    public var maximumAttempts = 4

    /// An importer writing through `log`.
    public init(log: AccountabilityLedger) {
        self.log = log
    }

    /// Progress of an import: the phase and how far it is.
    public enum Progress: Sendable {
        /// Reading and checking lines: the lines and bytes read so far.
        case reading(lines: Int, bytes: Int)
        /// Checking the commands against the ledger: commands checked of the total.
        case checking(done: Int, of: Int)
        /// Appending the events (one transaction).
        case appending(events: Int)
    }

    /// Imports the file at `url`.
    public func importFile(at url: URL, progress: ((Progress) -> Void)? = nil) throws -> ImportSummary {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw InterchangeError(field: "file", "'\(url.path)' cannot be opened for reading: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        return try importLines(from: handle, progress: progress)
    }

    /// Imports the lines read from `handle` (a file, a pipe, standard input).
    public func importLines(from handle: FileHandle, progress: ((Progress) -> Void)? = nil) throws -> ImportSummary {
        var summary = ImportSummary()
        var lines: [(line: Int, command: MentorshipCommand)] = []
        var reader = LineReader(handle, maximumLineLength: maximumLineLength)
        var lineError: InterchangeError?
        var number = 0
        while try reader.next({ bytes in
            number += 1
            guard !bytes.allSatisfy({ $0 == 32 || $0 == 9 }) else { return }
            do {
                lines.append((number, try InterchangeLine.command(from: bytes)))
            } catch let error as InterchangeError {
                lineError = error.at(line: number)
            }
        }) {
            if let lineError { throw lineError }
            if reader.lineNumber % 8192 == 0 { progress?(.reading(lines: reader.lineNumber, bytes: reader.bytesRead)) }
        }
        summary.linesRead = reader.lineNumber
        progress?(.reading(lines: reader.lineNumber, bytes: reader.bytesRead))
        return try record(lines, summary: summary, progress: progress)
    }

    /// Imports commands already read, each with the line number its errors name.
    public func importCommands(_ commands: [(line: Int, command: MentorshipCommand)], progress: ((Progress) -> Void)? = nil) throws -> ImportSummary {
        var summary = ImportSummary()
        summary.linesRead = commands.map(\.line).max() ?? 0
        return try record(commands, summary: summary, progress: progress)
    }

    private func record(_ lines: [(line: Int, command: MentorshipCommand)], summary: ImportSummary,
                        progress: ((Progress) -> Void)?) throws -> ImportSummary {
        var attempt = 1
        while true {
            var summary = summary
            let plan = try ImportPlan.check(lines, log: log, progress: progress)
            summary.alreadyStored = plan.alreadyStored
            summary.mentorships = plan.batches.count
            guard !plan.batches.isEmpty else { return summary }
            progress?(.appending(events: plan.eventCount))
            do {
                let results = try log.ledger.append(plan.batches)
                summary.eventsAppended = plan.eventCount
                let lower = results.map(\.positions.lowerBound).min() ?? 0
                let upper = results.map(\.positions.upperBound).max() ?? 0
                summary.positions = lower..<upper
                return summary
            } catch let error as LedgerError where error.code == .wrongExpectedRevision && attempt < maximumAttempts {
                attempt += 1
            }
        }
    }
}
