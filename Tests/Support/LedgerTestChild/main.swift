// A child process for the multi-process tests: appends to a ledger and reports each acknowledged
// append on standard output, one line per event: "<position> <event id>".
//
// Usage: LedgerTestChild append <ledger directory> <events> <stream prefix> <streams> <batch size>
//        LedgerTestChild catchup <ledger directory> <events per checkpoint>
//          (catches the SampleTally projection up to the head, printing "checkpoint <position>" after
//          each checkpoint it stores and "done <position>" at the end)
import EventLedger
import Foundation
import LedgerTestSupport

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("LedgerTestChild: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
if arguments.count == 4, arguments[1] == "catchup", let every = UInt64(arguments[3]), every > 0 {
    do {
        let ledger = try Ledger(directory: URL(fileURLWithPath: arguments[2]), registry: .samples())
        let tally = try CheckpointedProjection(ledger: ledger, projection: SampleTally(), eventsPerCheckpoint: every)
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
