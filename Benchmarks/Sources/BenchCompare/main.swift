// `make bench-compare`: the ledger side by side with its peers on one generated workload.
// Usage: BenchCompare [events]   (default 1,000,000; EVENTS= in the Makefile)
import Accountability
import BenchmarkWorkloads
import EventLedger
import Foundation

func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

/// The best of `runs` timings of `body`, in seconds.
func best<T>(_ runs: Int = 3, _ body: () throws -> T) rethrows -> (seconds: Double, value: T) {
    func timed() throws -> (Double, T) {
        let start = ContinuousClock.now
        let value = try body()
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, value)
    }
    var result = try timed()
    for _ in 1..<max(1, runs) {
        let next = try timed()
        if next.0 < result.0 { result = next }
    }
    return (result.0, result.1)
}

struct Mismatch: Error, CustomStringConvertible { let description: String }

let arguments = CommandLine.arguments
let requested = arguments.count > 1 ? Int(arguments[1]) : 1_000_000
guard let requested, requested > 0 else {
    log("usage: BenchCompare [events > 0]")
    exit(2)
}

let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let workloads = here.appendingPathComponent(".workloads")
let results = here.appendingPathComponent("results")
do {
    let workload = try Workload.prepare(events: requested, root: workloads, log: log)
    let n = Double(workload.events)
    log("workload: \(workload.events) events in \(workload.directory.path)")

    let ledger = try Ledger(directory: workload.directory, registry: try .accountability(), options: Workload.readOnly())
    let scan = try best { try RawLMDB.scan(workload.directory) }
    let decode = try best { try ledger.replay(DecodeCount()).state }
    let three = try CombinedProjection(CombinedProjection(ProgressProjection(), EngagementProjection()), CommitmentProjection())
    let models = try best(2) { try ledger.replay(three).eventsApplied }
    ledger.close()
    guard scan.value.count == workload.events, decode.value == workload.events else {
        throw Mismatch(description: "the raw scan read \(scan.value.count) and the replay \(decode.value) of \(workload.events) events")
    }

    // Appends: the same envelopes, 10,000 per durable commit.
    let records = try RawLMDB.records(workload.directory)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bench-append-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    var rawRound = 0
    let rawAppend = try best(2) { () -> Int in
        rawRound += 1
        return try RawLMDB.appendLoop(records, into: scratch.appendingPathComponent("raw-\(rawRound)"), perCommit: 10_000)
    }
    let batches = try LedgerBatches.make(workload.config, eventsPerCommit: 10_000)
    var ledgerRound = 0
    let ledgerAppend = try best(2) { () -> Int in
        ledgerRound += 1
        return try LedgerBatches.append(batches, into: scratch.appendingPathComponent("ledger-\(ledgerRound)"))
    }

    let figures: [(String, Double)] = [
        ("raw_lmdb_scan_eps", n / scan.seconds),
        ("replay_decode_eps", n / decode.seconds),
        ("replay_three_models_eps", n / models.seconds),
        ("raw_lmdb_append_eps", Double(rawAppend.value) / rawAppend.seconds),
        ("ledger_append_eps", Double(ledgerAppend.value) / ledgerAppend.seconds),
    ]
    let eps = Dictionary(uniqueKeysWithValues: figures)
    var json: [String: Any] = ["events": workload.events]
    for (key, value) in figures { json[key] = value.rounded() }
    json["replay_decode_vs_raw"] = (eps["replay_decode_eps"] ?? 0) / (eps["raw_lmdb_scan_eps"] ?? 1)
    json["replay_three_models_vs_raw"] = (eps["replay_three_models_eps"] ?? 0) / (eps["raw_lmdb_scan_eps"] ?? 1)
    json["append_vs_raw"] = (eps["ledger_append_eps"] ?? 0) / (eps["raw_lmdb_append_eps"] ?? 1)
    // Not measured yet in this version of the runner: the SQLite and JSON peers and peak RSS.
    for key in ["sqlite_three_models_eps", "json_three_models_eps", "speedup_vs_sqlite", "speedup_vs_json", "replay_peak_rss_mb"] {
        json[key] = NSNull()
    }

    print("events: \(workload.events)")
    for (key, value) in figures { print("\(key.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%14.0f", value))") }
    for key in ["replay_decode_vs_raw", "replay_three_models_vs_raw", "append_vs_raw"] {
        print("\(key.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%14.3f", json[key] as? Double ?? 0))")
    }
    try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
    let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: results.appendingPathComponent("compare.json"))
    log("wrote \(results.appendingPathComponent("compare.json").path)")
} catch {
    log("bench-compare failed: \(error)")
    exit(1)
}
