// `make bench-compare`: the ledger side by side with its peers on one generated workload.
// Usage: BenchCompare [events]   (default 1,000,000; EVENTS= in the Makefile)
//        BenchCompare import [events...]   (the import benchmark; IMPORT_EVENTS= in the Makefile)
//        BenchCompare read-models [events...]   (the persisted read models; READ_MODEL_EVENTS=)
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

// The memory child: `BenchCompare --replay-rss-child <ledger directory> decode|three` opens the
// ledger, replays once (decode only, or the three models in one pass) while a thread samples its
// anonymous memory, and prints "<events applied> <peak RSS kB> <peak anonymous kB>". See
// `replayMemory` below.
if arguments.count == 4, arguments[1] == "--replay-rss-child" {
    do {
        let sampler = MemorySampler()
        sampler.start()
        let ledger = try Ledger(directory: URL(fileURLWithPath: arguments[2]), registry: try .accountability(), options: Workload.readOnly())
        let applied: Int
        if arguments[3] == "decode" {
            applied = Int(try ledger.replay(DecodeCount()).eventsApplied)
        } else {
            let three = try threeModels()
            applied = Int(try ledger.replay(three).eventsApplied)
        }
        let peak = sampler.stop()
        ledger.close()
        print(applied, peak.residentKB, peak.anonymousKB)
        exit(0)
    } catch {
        log("replay child failed: \(error)")
        exit(1)
    }
}

// The profiling modes: `BenchCompare --profile decode|three|append <events>` runs one
// measured part alone on the cached workload, for `perf record` or `valgrind --tool=callgrind`.
if arguments.count == 4, arguments[1] == "--profile" {
    do {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let workload = try Workload.prepare(events: Int(arguments[3]) ?? 100_000, root: root.appendingPathComponent(".workloads"), log: log)
        switch arguments[2] {
        case "times":
            // Best-of-5 timings of each replay layer, in events per second.
            let ledger = try Ledger(directory: workload.directory, registry: try .accountability(), options: Workload.readOnly())
            let n = Double(workload.events)
            let raw = try best(5) { try RawLMDB.scan(workload.directory).count }
            log("the log's records hold \(try RawLMDB.scan(workload.directory).bytes) bytes")
            let scan = try best(5) { try ledger.read { reader in var count = 0; try reader.forEach(.all()) { _ in count += 1 }; return count } }
            let decode = try best(5) { try ledger.replay(DecodeCount()).state }
            let three = try threeModels()
            let models = try best(3) { try ledger.replay(three).eventsApplied }
            let progress = try best(3) { try ledger.replay(ProgressProjection()).eventsApplied }
            let engagement = try best(3) { try ledger.replay(EngagementProjection()).eventsApplied }
            let commitment = try best(3) { try ledger.replay(CommitmentProjection()).eventsApplied }
            for (name, t) in [("raw", raw.seconds), ("scan", scan.seconds), ("decode", decode.seconds), ("three", models.seconds),
                              ("progress", progress.seconds), ("engagement", engagement.seconds), ("commitment", commitment.seconds)] {
                print("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%12.0f eps  %8.1f ns/event", n / t, t / n * 1e9))")
            }
        case "decode":
            let ledger = try Ledger(directory: workload.directory, registry: try .accountability(), options: Workload.readOnly())
            print(try ledger.replay(DecodeCount()).state)
        case "three":
            let ledger = try Ledger(directory: workload.directory, registry: try .accountability(), options: Workload.readOnly())
            let three = try threeModels()
            print(try ledger.replay(three).eventsApplied)
        case "raw-append":
            let records = try RawLMDB.records(workload.directory)
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bench-profile-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let plain = try best(1) { try RawLMDB.appendLoop(records, into: scratch.appendingPathComponent("plain"), perCommit: 10_000) }
            print("raw MDB_APPEND: \(String(format: "%.0f", Double(plain.value) / plain.seconds)) events/s")
            let all: Set<String> = ["streams", "types", "event-ids", "stream-names"]
            for only in [nil, "streams", "types", "event-ids", "stream-names"] as [String?] {
                let skipping = only.map { all.subtracting([$0]) } ?? []
                let run = try best(1) {
                    try RawLMDB.indexedAppendLoop(records, into: scratch.appendingPathComponent("indexed-\(only ?? "all")"), perCommit: 10_000, skipping: skipping)
                }
                print("raw, events + \(only ?? "all four indexes"): \(String(format: "%.0f", Double(run.value) / run.seconds)) events/s")
            }
        case "append", "append-ordered-ids":
            var batches = try LedgerBatches.make(workload.config, eventsPerCommit: 10_000)
            if arguments[2] == "append-ordered-ids" {
                // The same events with ids in increasing byte order (as time-ordered UUIDv7 ids are).
                var counter: UInt64 = 0
                for b in batches.indices { for s in batches[b].indices { for e in batches[b][s].events.indices {
                    counter += 1
                    var raw = (counter.bigEndian, UInt64(0x4000_8000).bigEndian)
                    batches[b][s].events[e].id = withUnsafeBytes(of: &raw) { UUID(uuid: $0.load(as: uuid_t.self)) }
                } } }
            }
            let start = ContinuousClock.now
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bench-profile-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let written = try LedgerBatches.append(batches, into: scratch)
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("\(written) events appended (10,000 per commit) in \(String(format: "%.2f", seconds)) s: \(String(format: "%.0f", Double(written) / seconds)) events/s")
        default:
            log("unknown profile mode \(arguments[2]); use decode, three or append")
            exit(2)
        }
        exit(0)
    } catch {
        log("profile failed: \(error)")
        exit(1)
    }
}

/// Peak memory of one replay, in MB: `resident` is the kernel's high-water mark of the
/// process's resident set (VmHWM), which counts the pages of the memory-mapped log the replay
/// touched; `anonymous` is the highest RssAnon seen by a thread sampling every 2 ms: the heap the
/// read model and the replay machinery hold, without file pages.
///
/// Method: the replay runs alone in a child process of this same executable
/// (`--replay-rss-child`), so the figures are that replay's and the executable's baseline
/// (runtime, Foundation) only.
func replayMemory(_ directory: URL, mode: String, expected: Int) throws -> (resident: Double, anonymous: Double) {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    child.arguments = ["--replay-rss-child", directory.path, mode]
    let output = Pipe()
    child.standardOutput = output
    try child.run()
    let printed = output.fileHandleForReading.readDataToEndOfFile()
    child.waitUntilExit()
    guard child.terminationStatus == 0 else { throw Mismatch(description: "the \(mode) memory child exited with \(child.terminationStatus)") }
    let fields = String(decoding: printed, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
    guard fields.count == 3, Int(fields[0]) == expected else {
        throw Mismatch(description: "the \(mode) memory child printed '\(String(decoding: printed, as: UTF8.self))', not \(expected) events and two sizes")
    }
    return (fields[1] / 1024, fields[2] / 1024)
}

if arguments.count >= 3, arguments[1] == "--scaling", let events = Int(arguments[2]), events > 0 {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    do {
        try Scaling.run(events: events, workloads: root.appendingPathComponent(".workloads"), results: root.appendingPathComponent("results"),
                        threeModelCatchUp: arguments.contains("--with-three-models"),
                        memory: { try replayMemory($0, mode: $1, expected: $2) }, log: log)
        exit(0)
    } catch {
        log("scaling failed: \(error)")
        exit(1)
    }
}

if arguments.count == 3, arguments[1] == "--records-rss-child" { ReadModelsBench.child(arguments[2]) }

// `BenchCompare read-models [EVENTS...]` (`make bench-read-models`): the persisted read models.
if arguments.count >= 2, arguments[1] == "read-models" {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let sizes = arguments.dropFirst(2).compactMap { Int($0) }
    do {
        try ReadModelsBench.run(sizes: sizes.isEmpty ? [1_000_000] : sizes, root: root, log: log)
        exit(0)
    } catch {
        log("read-models failed: \(error)")
        exit(1)
    }
}

// `BenchCompare import [EVENTS...]` (`make bench-import`): the release `ledger import` of a large
// export against reading and verifying the same file; a table and results/import.json. See ImportBench.
if arguments.count >= 2, arguments[1] == "import" {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    do {
        try ImportBench.run(try ImportBench.Options(arguments: arguments.dropFirst(2), root: root), root: root, log: log)
        exit(0)
    } catch {
        log("bench-import failed: \(error)")
        exit(1)
    }
}

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

    // Peak memory of a replay, each in a process of its own.
    let decodeMemory = try replayMemory(workload.directory, mode: "decode", expected: workload.events)
    let modelsMemory = try replayMemory(workload.directory, mode: "three", expected: workload.events)

    let ledger = try Ledger(directory: workload.directory, registry: try .accountability(), options: Workload.readOnly())
    let scan = try best { try RawLMDB.scan(workload.directory) }
    let decode = try best { try ledger.replay(DecodeCount()).state }
    let three = try threeModels()
    let models = try best(2) { try ledger.replay(three) }
    guard scan.value.count == workload.events, decode.value == workload.events, models.value.eventsApplied == workload.events else {
        throw Mismatch(description: "the raw scan read \(scan.value.count), the decode replay \(decode.value) and the three-model replay \(models.value.eventsApplied) of \(workload.events) events")
    }

    // The peers: the same envelopes in SQLite (GRDB) and as JSON documents, folded by the same
    // three projections. Loading them is setup; each fold must end in the ledger's very state.
    let peers = FileManager.default.temporaryDirectory.appendingPathComponent("bench-peers-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: peers) }
    try FileManager.default.createDirectory(at: peers, withIntermediateDirectories: true)
    let types = try PeerTypeMap(eventTypes: three.eventTypes, ledger: ledger)
    let buffer = try PeerRecordBuffer()
    let sqlite = try SQLitePeerStore(path: peers.appendingPathComponent("events.sqlite").path)
    log("sqlite peer: loaded \(try sqlite.load(from: ledger)) rows")
    let jsonDirectory = peers.appendingPathComponent("json")
    log("json peer: wrote \(try JSONPeer.write(from: ledger, into: jsonDirectory)) documents")
    ledger.close()
    let sqliteModels = try best(2) { try sqlite.replay(three, types: types, buffer: buffer) }
    let jsonModels = try best(2) { try JSONPeer.replay(three, directory: jsonDirectory, types: types, buffer: buffer) }
    for (peer, result) in [("SQLite", sqliteModels.value), ("JSON", jsonModels.value)] {
        guard result.events == workload.events else {
            throw Mismatch(description: "the \(peer) peer applied \(result.events) of \(workload.events) events")
        }
        guard result.state == models.value.state else {
            throw Mismatch(description: "the \(peer) peer's three-model state differs from the ledger's")
        }
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
    var indexedRound = 0
    let rawIndexedAppend = try best(2) { () -> Int in
        indexedRound += 1
        return try RawLMDB.indexedAppendLoop(records, into: scratch.appendingPathComponent("raw-indexed-\(indexedRound)"), perCommit: 10_000)
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
        ("sqlite_three_models_eps", n / sqliteModels.seconds),
        ("json_three_models_eps", n / jsonModels.seconds),
        ("raw_lmdb_append_eps", Double(rawAppend.value) / rawAppend.seconds),
        ("ledger_append_eps", Double(ledgerAppend.value) / ledgerAppend.seconds),
        ("raw_lmdb_indexed_append_eps", Double(rawIndexedAppend.value) / rawIndexedAppend.seconds),
    ]
    let eps = Dictionary(uniqueKeysWithValues: figures)
    var json: [String: Any] = ["events": workload.events]
    for (key, value) in figures { json[key] = value.rounded() }
    json["replay_decode_vs_raw"] = (eps["replay_decode_eps"] ?? 0) / (eps["raw_lmdb_scan_eps"] ?? 1)
    json["replay_three_models_vs_raw"] = (eps["replay_three_models_eps"] ?? 0) / (eps["raw_lmdb_scan_eps"] ?? 1)
    json["append_vs_raw"] = (eps["ledger_append_eps"] ?? 0) / (eps["raw_lmdb_append_eps"] ?? 1)
    // Against the same layout written raw: how close the ledger is to its own storage bound.
    json["append_vs_raw_indexed"] = (eps["ledger_append_eps"] ?? 0) / (eps["raw_lmdb_indexed_append_eps"] ?? 1)
    json["speedup_vs_sqlite"] = (eps["replay_three_models_eps"] ?? 0) / (eps["sqlite_three_models_eps"] ?? 1)
    json["speedup_vs_json"] = (eps["replay_three_models_eps"] ?? 0) / (eps["json_three_models_eps"] ?? 1)
    json["replay_peak_rss_mb"] = (modelsMemory.resident * 10).rounded() / 10
    json["replay_peak_anon_mb"] = (modelsMemory.anonymous * 10).rounded() / 10
    json["decode_replay_peak_rss_mb"] = (decodeMemory.resident * 10).rounded() / 10
    json["decode_replay_peak_anon_mb"] = (decodeMemory.anonymous * 10).rounded() / 10

    print("events: \(workload.events)")
    for (key, value) in figures { print("\(key.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%14.0f", value))") }
    for key in ["replay_decode_vs_raw", "replay_three_models_vs_raw", "append_vs_raw", "append_vs_raw_indexed", "speedup_vs_sqlite", "speedup_vs_json"] {
        print("\(key.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%14.3f", json[key] as? Double ?? 0))")
    }
    for key in ["replay_peak_rss_mb", "replay_peak_anon_mb", "decode_replay_peak_rss_mb", "decode_replay_peak_anon_mb"] {
        print("\(key.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%14.1f", json[key] as? Double ?? 0))")
    }
    try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
    let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: results.appendingPathComponent("compare.json"))
    log("wrote \(results.appendingPathComponent("compare.json").path)")
} catch {
    log("bench-compare failed: \(error)")
    exit(1)
}
