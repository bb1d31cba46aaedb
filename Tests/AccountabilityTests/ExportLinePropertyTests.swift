@testable import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

/// Over seeded programs, every line of an export shows exactly what its canonical bytes encode:
/// decoded here independently of ``ExportLineCheck`` (the envelope through ``EventRecord``, the
/// payload through ``AccountabilityEvent``), compared with the line read back as a command, and
/// with the stored record's names; ``ExportVerifier`` accepts every such file, NDJSON and CSV.
@Suite("decode(canonical) == readable fields, for every line of seeded programs")
struct ExportLinePropertyTests {
    /// The seeds: a handful in CI; `LEDGER_EXPORT_PROPERTY_SEEDS=N` runs N.
    static let seeds: [UInt64] = {
        let count = ProcessInfo.processInfo.environment["LEDGER_EXPORT_PROPERTY_SEEDS"].flatMap(Int.init) ?? 6
        return (0..<UInt64(max(1, count))).map { 1_000 + $0 * 7_919 }
    }()

    @Test("every line of every seeded program's export", arguments: seeds)
    func everyLine(seed: UInt64) throws {
        let directory = try TemporaryDirectory("export-property")
        var generator = SeededGenerator(seed: seed)
        let config = SimulationConfig(seed: seed, mentorships: generator.int(in: 3...25), months: generator.int(in: 1...4))
        let simulator = try ProgramSimulator(config)
        let clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        options.durability = .noSync
        let ledger = try Ledger(directory: directory.child("source"), registry: try .accountability(), options: options)
        defer { ledger.close() }
        try simulator.write(into: ledger, clock: clock)
        let stored = try ledger.events(.all())
        #expect(!stored.isEmpty)

        for format in [ExportFormat.ndjson, .csv] {
            var data = Data()
            try InterchangeExporter(format: format).export(ledger, to: { data.append(contentsOf: $0) })
            let url = directory.url.appendingPathComponent("export.\(format)")
            try data.write(to: url)

            // The file as a whole: the library's own verifier.
            let report = try ExportVerifier(format: format).verify(try FileHandle(forReadingFrom: url))
            #expect(report.events == stored.count, "seed \(seed), \(format)")
            #expect(report.head == stored.last?.chainHash)

            // Line by line, independently.
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var source = InterchangeSource(handle, format: format)
            var index = 0
            while let object = try source.next() {
                let at = "seed \(seed), \(format), line \(source.lineNumber)"
                guard index < stored.count else {
                    Issue.record("\(at): more lines than events")
                    break
                }
                try Self.check(object, against: stored[index], at: at)
                index += 1
            }
            #expect(index == stored.count, "seed \(seed), \(format): a line per event")
        }

        // The import's fast path proves every untouched NDJSON line from its bytes, and no line
        // with one byte of a readable field changed.
        var data = Data()
        try InterchangeExporter(format: .ndjson).export(ledger, to: { data.append(contentsOf: $0) })
        var previous = ChainHash.genesis
        for (index, text) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let raw = Array(text.utf8)
            let object = try ToolLine.object(String(text))
            let line = try ExportLine(object)
            let exact = raw.withUnsafeBytes { ExportLineCheck.exactLine($0, previous: previous, position: UInt64(index + 1)) }
            #expect(exact?.line.chainHash == line.chainHash && exact?.line.id == line.id && exact?.line.stream == line.stream, "seed \(seed), line \(index + 1)")
            #expect(exact?.event == (try InterchangeLine.command(from: object)).event, "seed \(seed), line \(index + 1)")
            if index % 7 == 0, let digit = text.utf8.firstIndex(of: UInt8(ascii: ",")) {
                // A doctored copy: the first digit after the position changed (the position itself).
                var doctored = raw
                let at = text.utf8.distance(from: text.utf8.startIndex, to: digit) - 1
                doctored[at] = doctored[at] == UInt8(ascii: "9") ? UInt8(ascii: "8") : doctored[at] + 1
                #expect(doctored.withUnsafeBytes { ExportLineCheck.exactLine($0, previous: previous, position: UInt64(index + 1)) } == nil)
                // A data member changed.
                var changed = String(text)
                if let minutes = changed.range(of: #""minutes":"#) {
                    changed.replaceSubrange(minutes, with: #""minutes":1"#)
                    #expect(Array(changed.utf8).withUnsafeBytes { ExportLineCheck.exactLine($0, previous: previous, position: UInt64(index + 1)) } == nil)
                }
            }
            #expect(raw.withUnsafeBytes { ExportLineCheck.exactLine($0, previous: ChainHash.genesis.next(canonicalBytes: [1]), position: UInt64(index + 1)) } == nil, "another previous hash")
            previous = line.chainHash
        }
    }

    /// Reads one line as a JSON object.
    enum ToolLine {
        static func object(_ text: String) throws -> JSONObject {
            guard case .object(let object) = try JSONParser.parse(Array(text.utf8)) else { throw InterchangeError(field: "line", "not an object") }
            return object
        }
    }

    /// The line `object` shows what its canonical bytes encode, and they are `record`'s.
    static func check(_ object: JSONObject, against record: RecordedEvent, at: String) throws {
        let line = try ExportLine(object)
        #expect(line.canonical == record.canonicalBytes, "\(at): the canonical bytes are the stored ones")
        #expect(line.chainHash == line.previousHash.next(canonicalBytes: line.canonical), "\(at)")
        var bytes = line.canonical
        bytes.append(contentsOf: line.chainHash.bytes)
        try bytes.withUnsafeBytes { raw in
            let decoded = try EventRecord(validating: raw, at: line.position)
            #expect(decoded.position == line.position, "\(at): position")
            #expect(decoded.streamRevision == line.revision, "\(at): revision")
            #expect(decoded.schemaVersion == line.schemaVersion, "\(at): schemaVersion")
            #expect(decoded.id == line.id, "\(at): id")
            #expect(decoded.recordedAt == line.recordedAt, "\(at): recordedAt")
            #expect(decoded.occurredAt == line.occurredAt, "\(at): occurredAt")
            #expect(decoded.actor == line.actor, "\(at): actor")
            #expect(decoded.correlationID == line.correlationID, "\(at): correlationID")
            #expect(decoded.causationID == line.causationID, "\(at): causationID")
            #expect(decoded.absentIDsAreZero, "\(at): absent ids are zero bytes")
            let event = try AccountabilityEvent.decode(eventType: line.type, schemaVersion: decoded.schemaVersion, payload: decoded.payload)
            let command = try InterchangeLine.command(from: object)
            #expect(event == command.event, "\(at): data is the decoded payload")
            #expect(command.actor == decoded.actor && command.occurredAt == decoded.occurredAt && command.id == decoded.id, "\(at)")
            if let event {
                #expect(line.data == .object(InterchangeLine.data(of: event)), "\(at): data as the exporter writes it")
            }
        }
        // The names the envelope holds only as a tag and a key are the stored record's.
        #expect(line.type == record.eventType, "\(at): type")
        #expect(line.stream == record.stream, "\(at): stream")
        #expect(line.chainHash == record.chainHash, "\(at): chainHash")
    }
}
