public import Accountability
public import EventLedger
public import Foundation
import BenchmarkWorkloads

/// `BenchCompare --scaling <events>`: the figures that must not grow with the log, measured on one
/// workload so that a 1M and a 10M run can be set side by side (`results/scaling-<events>.json`):
/// - replay throughput (decode only) against the raw scan;
/// - peak memory of a replay, resident and anonymous, decode only and three models;
/// - a checkpointed catch-up of one new event: with a state of fixed size (an event count); with
///   the three read models storing every `eventsPerCheckpoint` events (the state stays in memory
///   between stores); and, with `--with-three-models`, with the three read models storing every
///   catch-up (an encode of a state that grows with the program).
enum Scaling {
    /// A count of events, checkpointed: a state whose size does not depend on the log.
    struct CountedEvents: AccountabilityProjection {
        var name: String { "bench.counted-events" }
        var initialState: Int { 0 }
        func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout Int) { state &+= 1 }
    }

    static func run(events requested: Int, workloads: URL, results: URL, threeModelCatchUp: Bool,
                    memory: (URL, String, Int) throws -> (resident: Double, anonymous: Double),
                    log: (String) -> Void) throws {
        let workload = try Workload.prepare(events: requested, root: workloads, log: log)
        log("scaling: \(workload.events) events in \(workload.directory.path)")
        var figures: [(String, Double)] = [("events", Double(workload.events))]

        let decodeMemory = try memory(workload.directory, "decode", workload.events)
        let modelsMemory = try memory(workload.directory, "three", workload.events)
        figures += [("decode_replay_peak_rss_mb", decodeMemory.resident), ("decode_replay_peak_anon_mb", decodeMemory.anonymous),
                    ("replay_peak_rss_mb", modelsMemory.resident), ("replay_peak_anon_mb", modelsMemory.anonymous)]

        let ledger = try Ledger(directory: workload.directory, registry: try .accountability(), options: Workload.readOnly())
        let raw = try timed { try RawLMDB.scan(workload.directory).count }
        let decode = try timed { try ledger.replay(DecodeCount()).state }
        ledger.close()
        figures += [("raw_lmdb_scan_eps", Double(workload.events) / raw), ("replay_decode_eps", Double(workload.events) / decode),
                    ("replay_decode_vs_raw", raw / decode)]

        // Catch-up of one new event, on a copy of the workload (the workload stays untouched).
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bench-scaling-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: workload.directory, to: copy)
        let writable = try Ledger(directory: copy, registry: try .accountability())
        defer { writable.close() }
        figures.append(("catchup_one_event_fixed_state_ms", try catchUpOfOneEvent(CountedEvents(), writable, .everyCatchUp) * 1000))
        let three = try threeModels()
        figures.append(("catchup_one_event_three_models_deferred_ms", try catchUpOfOneEvent(three, writable, .everyEventsPerCheckpoint) * 1000))
        if threeModelCatchUp {
            figures.append(("catchup_one_event_three_models_ms", try catchUpOfOneEvent(three, writable, .everyCatchUp) * 1000))
        }

        var json: [String: Any] = [:]
        for (key, value) in figures {
            json[key] = key == "events" ? Int(value) : (value * 1000).rounded() / 1000
            print("\(key.padding(toLength: 36, withPad: " ", startingAt: 0)) \(String(format: "%14.3f", value))")
        }
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        let file = results.appendingPathComponent("scaling-\(workload.events).json")
        try data.write(to: file)
        log("wrote \(file.path)")
    }

    /// The median of 21 rounds of: append one event, catch `projection` up (after a first full
    /// catch-up that is not timed), storing as `storing` says. In seconds.
    static func catchUpOfOneEvent<P: Projection>(_ projection: P, _ ledger: Ledger, _ storing: CheckpointStoring) throws -> Double where P.State: Codable & Sendable {
        // No intermediate stores in the first, untimed catch-up: it is setup.
        let checkpointed = try CheckpointedProjection(ledger: ledger, projection: projection, eventsPerCheckpoint: .max, storing: storing)
        try checkpointed.catchUp()
        var rounds: [Double] = []
        for _ in 0..<21 {
            let nudge = NudgeSent(rule: .taskOverdue, subject: UUID(), recipient: UUID())
            let appended = try ledger.append([try ProposedEvent(nudge)], to: "bench/catch-up")
            rounds.append(try timed {
                let snapshot = try checkpointed.catchUp()
                guard snapshot.position == appended.positions.upperBound - 1 else {
                    throw PeerError("catch-up reached \(snapshot.position), not \(appended.positions.upperBound - 1)")
                }
            })
        }
        return rounds.sorted()[rounds.count / 2]
    }

    static func timed<T>(_ body: () throws -> T) throws -> Double {
        let start = ContinuousClock.now
        _ = try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
