// A child process for the multi-process tests: appends to a ledger and reports each acknowledged
// append on standard output, one line per event: "<position> <event id>".
//
// Usage: LedgerTestChild append <ledger directory> <events> <stream prefix> <streams> <batch size>
//        LedgerTestChild catchup <ledger directory> <events per checkpoint>
//          (catches the SampleTally projection up to the head, printing "checkpoint <position>" after
//          each checkpoint it stores and "done <position>" at the end)
//        LedgerTestChild keyedcatchup <ledger directory> <events per commit>
//          (catches the SampleStreamTotals keyed projection up to the head, printing "commit <position>"
//          after each commit and "done <position>" at the end)
//        LedgerTestChild inspect <ledger directory>
//          (opens the ledger read-only, verifies it, replays SampleTally over it and digests its
//          content, printing one line of JSON: see `LedgerInspection` (LedgerTestSupport). Every error is caught and
//          reported in that line, so the child exits 0 unless it crashes.)
import EventLedger
import Foundation
import LedgerTestSupport

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("LedgerTestChild: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "inspect" {
    print(LedgerInspection.run(directory: URL(fileURLWithPath: arguments[2])).jsonLine())
    exit(0)
}
if arguments.count == 4, arguments[1] == "catchup", let every = UInt64(arguments[3]), every > 0 {
    do {
        let ledger = try Ledger(directory: URL(fileURLWithPath: arguments[2]), registry: .samples())
        let tally = try CheckpointedProjection(ledger: ledger, projection: SampleTally(), eventsPerCheckpoint: every, storing: .everyCatchUp)
        let snapshot = try tally.catchUp { position in
            FileHandle.standardOutput.write(Data("checkpoint \(position)\n".utf8))
        }
        print("done \(snapshot.position)")
        ledger.close()
        exit(0)
    } catch {
        fail("\(error)")
    }
}
if arguments.count == 4, arguments[1] == "keyedcatchup", let every = UInt64(arguments[3]), every > 0 {
    do {
        let ledger = try Ledger(directory: URL(fileURLWithPath: arguments[2]), registry: .samples())
        let totals = try PersistentProjection(ledger: ledger, projection: SampleStreamTotals(), eventsPerCommit: every)
        let position = try totals.catchUp { position in
            FileHandle.standardOutput.write(Data("commit \(position)\n".utf8))
        }
        print("done \(position)")
        ledger.close()
        exit(0)
    } catch {
        fail("\(error)")
    }
}
guard arguments.count == 7, arguments[1] == "append",
      let total = Int(arguments[3]), let streamCount = Int(arguments[5]), let batchSize = Int(arguments[6]),
      total > 0, streamCount > 0, batchSize > 0 else {
    fail("usage: LedgerTestChild append <dir> <events> <stream prefix> <streams> <batch size>")
}

do {
    let ledger = try Ledger(directory: URL(fileURLWithPath: arguments[2]), registry: .samples())
    var written = 0
    var out = ""
    while written < total {
        let count = min(batchSize, total - written)
        let events = try (0..<count).map { try ProposedEvent.sample(UInt64(written + $0), text: arguments[4]) }
        let stream = "\(arguments[4])/\((written / batchSize) % streamCount)"
        let result = try ledger.append(events, to: stream)
        out.removeAll(keepingCapacity: true)
        for (position, event) in zip(result.positions, events) { out += "\(position) \(event.id.uuidString)\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
        written += count
    }
    ledger.close()
} catch {
    fail("\(error)")
}

// MARK: - inspect


extension LedgerInspection {
    static func run(directory: URL) -> LedgerInspection {
        var result = LedgerInspection()
        var options = LedgerOptions()
        options.readOnly = true
        options.createIfMissing = false
        let ledger: Ledger
        do {
            ledger = try Ledger(directory: directory, registry: .samples(), options: options)
        } catch {
            result.openError = "\(error)"
            result.openErrorCode = (error as? LedgerError).map { "\($0.code)" } ?? "\(type(of: error))"
            return result
        }
        defer { ledger.close() }

        do {
            let report = try ledger.verify()
            result.verifyIntact = report.isIntact
            result.faultKind = report.firstFault?.kind.rawValue
            result.faultPosition = report.firstFault?.position
            result.faultMessage = report.firstFault?.message
            result.eventsChecked = report.eventsChecked
            result.headPosition = report.head.position
            result.headHash = report.head.hash.hex
        } catch {
            result.verifyError = "\(error)"
        }

        do {
            let replay = try ledger.replay(SampleTally())
            let s = replay.state
            result.replayEvents = replay.eventsApplied
            result.replayPosition = replay.position
            result.replayState = "samples=\(s.samples) sequenceSum=\(s.sequenceSum) amountSum=\(s.amountSum) lastPosition=\(s.lastPosition) checksum=\(s.checksum)"
        } catch {
            result.replayError = "\(error)"
            result.replayErrorCode = (error as? LedgerError).map { "\($0.code)" } ?? "\(type(of: error))"
            result.replayErrorPosition = (error as? LedgerError)?.position
        }

        do {
            let (digest, events) = try contentDigest(ledger)
            result.contentDigest = digest
            result.contentEvents = events
        } catch {
            result.contentError = "\(error)"
            result.contentErrorPosition = (error as? LedgerError)?.position
        }
        return result
    }

    private static func contentDigest(_ ledger: Ledger) throws -> (String, UInt64) {
        var digest = CanonicalDigest()
        digest.add(ledger.ledgerID)
        digest.add(ledger.createdAt)
        var events: UInt64 = 0
        try ledger.read { reader in
            try reader.forEach(.all()) { record in
                let event = try reader.recordedEvent(record)
                events += 1
                digest.add(event.position)
                digest.add(event.stream)
                digest.add(event.eventType)
                digest.add(event.id)
                event.canonicalBytes.withUnsafeBytes { add(&digest, $0) }
                event.chainHash.withUnsafeBytes { add(&digest, $0) }
                digest.add(try reader.position(ofEventID: event.id), { $0.add($1) })
            }
            for stream in try reader.streams() {
                digest.add(stream.name)
                digest.add(stream.revision)
                try reader.forEach(.stream(stream.name)) { digest.add($0.position) }
            }
            for type in [SampleEvent.eventType, AmountRecorded.eventType, NoteAdded.eventType] {
                digest.add(type)
                try reader.forEach(.type(type)) { digest.add($0.position) }
            }
            let head = try reader.head()
            digest.add(head.position)
            head.hash.withUnsafeBytes { add(&digest, $0) }
        }
        return (digest.finalize(), events)
    }

    /// Adds raw bytes: their count, then 8 bytes at a time (the tail zero-padded).
    private static func add(_ digest: inout CanonicalDigest, _ bytes: UnsafeRawBufferPointer) {
        digest.add(UInt64(bytes.count))
        var offset = 0
        while offset + 8 <= bytes.count {
            digest.add(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        withUnsafeMutableBytes(of: &tail) { raw in
            for index in offset..<bytes.count { raw[index - offset] = bytes[index] }
        }
        digest.add(tail)
    }
}
