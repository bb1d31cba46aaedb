import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger append DIR JSON`: checks and appends one event.
struct AppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Check and append one event, given as one interchange-format JSON object.",
        discussion: """
        Example: ledger append ./program '{"type":"SessionHeld","stream":"mentorship/<uuid>",\
        "occurredAt":"2026-03-01T15:00:00Z","actor":"<uuid>","data":{"session":"<uuid>",\
        "minutes":45,"attendees":["<uuid>","<uuid>"]}}'
        """
    )

    @OptionGroup var location: LedgerLocation

    @Argument(help: "The event as JSON, or - to read one line from standard input.")
    var event: String

    @OptionGroup var adminOptions: AdminOptions

    func run() throws {
        let admins = try adminOptions.programAdmins()
        var text = event
        if event == "-" {
            guard let line = readLine(strippingNewline: true) else {
                throw ToolError("standard input is empty; expected one JSON object")
            }
            text = line
        }
        let command: MentorshipCommand
        do {
            command = try InterchangeLine.command(from: text)
        } catch {
            throw ToolError("\(error); nothing was written")
        }
        let ledger = try location.open(readOnly: false)
        defer { ledger.close() }
        let importer = InterchangeImporter(log: AccountabilityLedger(ledger: ledger, admins: admins))
        let summary: ImportSummary
        do {
            summary = try importer.importCommands([(line: 1, command: command)])
        } catch var error as InterchangeError {
            error.line = nil
            throw ToolError("\(error); nothing was written")
        }
        if summary.eventsAppended == 0 {
            let position = try ledger.read { try $0.position(ofEventID: command.id) }
            try StandardStreams.print("already stored at position \(position.map(String.init) ?? "?") (id \(command.id.uuidString.lowercased())); nothing was written")
        } else {
            let revision = try ledger.read { try $0.streamRevision(of: command.stream) }
            try StandardStreams.print("appended \(command.event.eventType) at position \(summary.positions.lowerBound) (\(command.stream) revision \(revision.map(String.init) ?? "?"), id \(command.id.uuidString.lowercased()))")
        }
    }
}
