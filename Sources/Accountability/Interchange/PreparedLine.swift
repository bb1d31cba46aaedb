import EventLedger
import Foundation

/// One line of an import file with what can be checked from the file alone already checked: its
/// JSON object and, for a line of an export, the line read strictly, chained to the export lines
/// before it and proved against its canonical bytes (``ExportLineCheck``). What is left — the
/// rules and the write — needs the ledger.
struct PreparedLine: Sendable {
    /// The line's number in the file (1-based).
    let number: Int
    /// The line as read.
    let object: JSONObject
    /// The export line and what its bytes proved, when the line carries canonical bytes.
    let export: (line: ExportLine, proof: ExportLineCheck.Proof)?
    /// The bytes of the file read up to this line, for progress.
    let bytesRead: Int
}

/// The file-only checks of an import, line after line: what reads the file, parses each line and
/// checks export lines, holding the export's chain and its type and stream bindings. Runs apart
/// from the writes (``LinePipeline``).
struct LinePreparer {
    private var source: InterchangeSource
    private var bindings = ExportBindings()
    private var previous: ChainHash?
    private var next: UInt64?
    /// The number of the last line read, blank ones included.
    var lineNumber: Int { source.lineNumber }

    init(_ source: InterchangeSource) {
        self.source = source
    }

    /// The next line, checked, or `nil` at the end of the file.
    ///
    /// - Throws: ``InterchangeError`` naming the line (and position) of the first fault.
    mutating func nextLine() throws -> PreparedLine? {
        // The fast path: a line exactly as the exporter wrote it after the line before it is
        // proved from its bytes (``ExportLineCheck/exactLine(_:previous:position:)``).
        let read = try source.next(orTake: { [previous, next] raw -> (line: ExportLine, event: AccountabilityEvent, record: (tag: UInt32, key: UInt64))? in
            guard let previous, let next else { return nil }
            return ExportLineCheck.exactLine(raw, previous: previous, position: next)
        })
        let object: JSONObject
        switch read {
        case nil: return nil
        case .taken(let exact)?:
            let number = source.lineNumber
            do throws(InterchangeError) {
                try bindings.bind(exact.line, typeTag: exact.record.tag, streamKey: exact.record.key, lineNumber: number)
                try ExportLineCheck.builtInStream(exact.line)
                try ExportLineCheck.startedStream(exact.event, exact.line)
            } catch {
                throw error.at(position: exact.line.position).at(line: number)
            }
            previous = exact.line.chainHash
            next = exact.line.position + 1
            return PreparedLine(number: number, object: JSONObject([]), export: (exact.line, ExportLineCheck.Proof(payload: .fields, event: exact.event)), bytesRead: source.bytesRead)
        case .object(let parsed)?:
            object = parsed
        }
        let number = source.lineNumber
        guard ExportLine.isExportLine(object) else {
            return PreparedLine(number: number, object: object, export: nil, bytesRead: source.bytesRead)
        }
        do throws(InterchangeError) {
            // The export's lines must chain, so none is dropped, added or moved; then the bytes,
            // so a doctored type or field is named as such before the line is read as a command.
            let line = try ExportLine(object)
            try ExportVerifier.chain(line, previous: previous, next: next)
            let proof = try ExportLineCheck.check(line, lineNumber: number, bindings: &bindings)
            previous = line.chainHash
            next = line.position + 1
            return PreparedLine(number: number, object: object, export: (line, proof), bytesRead: source.bytesRead)
        } catch {
            throw error.at(line: number)
        }
    }
}
