// LedgerBenchmarks: the package-benchmark (ordo-one/benchmark) suite of the ledger (DESIGN §8).
//
// Run it from the repository root with `make bench`, or from Benchmarks/ with
//
//     swift package --allow-writing-to-package-directory benchmark --target LedgerBenchmarks
//
// (add `--filter 'Replay.*'` to run some, `--no-progress` for logs, `--format markdown` etc.;
// `swift package benchmark help` lists the rest, e.g. baselines).
//
// Environment (read by every benchmark process):
//   LEDGER_BENCH_EVENTS=N        events in the replay / catch-up / time-travel / memory workload
//                                (default 1,000,000; e.g. 20000 while developing)
//   LEDGER_BENCH_LARGE=1         also run the catch-up and peak-memory benchmarks on a large
//                                workload (10,000,000 events; generating it once takes a long time)
//   LEDGER_BENCH_LARGE_EVENTS=N  the large workload's size (default 10,000,000)
//   LEDGER_BENCH_WORKLOADS=DIR   where generated workloads are cached (default Benchmarks/.workloads)
//   LEDGER_BENCH_SCRATCH=DIR     where the temporary ledgers go (default the system temp directory)
//
// Measured on 2 cores, the whole suite takes several minutes at 1M events, most of it in the
// catch-up benchmarks that store every catch-up: each such store encodes the whole (JSON) state of
// the three models (seconds at 1M, ten times that at 10M). The variants that store every 100k
// events keep the state in memory and cost the one event. Skip the slow ones with
// `--skip '.*stored every catch-up.*'` if need be.
//
// Workloads come from the seeded simulator (`Workload.prepare`), generated on first use (a few
// minutes at 1M on 2 cores) and kept for later runs. Every benchmark runs in its own process and
// does its setup (opening, copying, catching up) outside the measured part.
//
// The figures: "Events / s" is a custom metric (events appended or folded per second of the
// measured part); "Time (wall clock)" is per iteration. "Memory (resident peak)" counts the pages
// of the memory-mapped log that a replay touched as well as the heap; "RSS anonymous" and
// "RSS file-backed" (Linux, read at the end of the replay while its state is still alive) split
// the two, so the read model's own memory is "RSS anonymous".
import Accountability
import Benchmark
import BenchmarkWorkloads
import EventLedger
import Foundation

// MARK: - Settings

enum Settings {
    static let environment = ProcessInfo.processInfo.environment

    /// The default workload's size.
    static let events = positive("LEDGER_BENCH_EVENTS") ?? 1_000_000
    /// Whether to add the large-workload variants.
    static let large = ["1", "true", "yes"].contains(environment["LEDGER_BENCH_LARGE"]?.lowercased() ?? "")
    /// The large workload's size.
    static let largeEvents = positive("LEDGER_BENCH_LARGE_EVENTS") ?? 10_000_000

    /// Benchmarks/.workloads, unless overridden.
    static let workloads: URL = environment["LEDGER_BENCH_WORKLOADS"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".workloads")

    /// Where the temporary ledgers of one benchmark process go.
    static let scratch: URL = (environment["LEDGER_BENCH_SCRATCH"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.temporaryDirectory)
        .appendingPathComponent("ledger-bench-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")

    private static func positive(_ name: String) -> Int? {
        guard let text = environment[name] else { return nil }
        let digits = text.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")
        guard let value = Int(digits), value > 0 else {
            log("ignoring \(name)=\(text): not a positive integer")
            return nil
        }
        return value
    }

    /// "1M", "20K", "10M", "1.5M".
    static func label(_ events: Int) -> String {
        func trim(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
        }
        if events >= 1_000_000 { return trim(Double(events) / 1_000_000) + "M" }
        if events >= 1_000 { return trim(Double(events) / 1_000) + "K" }
        return String(events)
    }
}

func log(_ text: String) { FileHandle.standardError.write(Data(("[LedgerBenchmarks] " + text + "\n").utf8)) }

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Metrics

enum Metrics {
    /// Events appended or folded per second of the measured part.
    static let eventsPerSecond = BenchmarkMetric.custom("Events / s", polarity: .prefersLarger, useScalingFactor: false)
    /// Anonymous resident memory (heap, stacks) at the end of the measured replay, in bytes.
    static let rssAnonymous = BenchmarkMetric.custom("RSS anonymous", polarity: .prefersSmaller, useScalingFactor: false)
    /// File-backed resident memory (the mapped log, the binaries) at the end of the replay, in bytes.
    static let rssFile = BenchmarkMetric.custom("RSS file-backed", polarity: .prefersSmaller, useScalingFactor: false)

    static func rate(_ events: Int, _ elapsed: Duration) -> Int {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Int((Double(events) / seconds).rounded()) : 0
    }

    /// RssAnon and RssFile of this process, in bytes (Linux; nil elsewhere or on failure).
    static func residentSplit() -> (anonymous: Int, file: Int)? {
        #if os(Linux)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        var anonymous: Int?, file: Int?
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { continue }
            if fields[0] == "RssAnon:" { anonymous = kilobytes * 1024 }
            if fields[0] == "RssFile:" { file = kilobytes * 1024 }
        }
        guard let anonymous, let file else { return nil }
        return (anonymous, file)
        #else
        return nil
        #endif
    }
}

// MARK: - Registration helpers

/// Holds one benchmark's fixture between its setup, its iterations and its teardown.
final class FixtureSlot<Fixture> {
    var fixture: Fixture?
}

/// A benchmark whose fixture is built once by `setup` (not measured) and handed to each iteration.
func register<Fixture>(
    _ name: String, _ configuration: Benchmark.Configuration,
    setup: @escaping () throws -> Fixture, teardown: @escaping (Fixture) throws -> Void = { _ in },
    _ body: @escaping (Benchmark, Fixture) throws -> Void
) {
    let slot = FixtureSlot<Fixture>()
    Benchmark(name, configuration: configuration, closure: { (benchmark: Benchmark) throws -> Void in
        guard let fixture = slot.fixture else { throw BenchError("\(name): the setup left no fixture") }
        try body(benchmark, fixture)
    }, setup: {
        slot.fixture = try setup()
    }, teardown: {
        defer { slot.fixture = nil }
        if let fixture = slot.fixture { try teardown(fixture) }
    })
}

/// The same for an `async` body.
func registerAsync<Fixture>(
    _ name: String, _ configuration: Benchmark.Configuration,
    setup: @escaping () throws -> Fixture, teardown: @escaping (Fixture) throws -> Void = { _ in },
    _ body: @escaping (Benchmark, Fixture) async throws -> Void
) {
    let slot = FixtureSlot<Fixture>()
    Benchmark(name, configuration: configuration, closure: { (benchmark: Benchmark) async throws -> Void in
        guard let fixture = slot.fixture else { throw BenchError("\(name): the setup left no fixture") }
        try await body(benchmark, fixture)
    }, setup: {
        slot.fixture = try setup()
    }, teardown: {
        defer { slot.fixture = nil }
        if let fixture = slot.fixture { try teardown(fixture) }
    })
}

/// Runs `body` as the measured part of an iteration; returns its result and its duration.
func measured<R>(_ benchmark: Benchmark, _ body: () throws -> R) rethrows -> (R, Duration) {
    let clock = ContinuousClock()
    benchmark.startMeasurement()
    let start = clock.now
    let result = try body()
    let elapsed = clock.now - start
    benchmark.stopMeasurement()
    return (result, elapsed)
}

func measuredAsync<R>(_ benchmark: Benchmark, _ body: () async throws -> R) async rethrows -> (R, Duration) {
    let clock = ContinuousClock()
    benchmark.startMeasurement()
    let start = clock.now
    let result = try await body()
    let elapsed = clock.now - start
    benchmark.stopMeasurement()
    return (result, elapsed)
}

// MARK: - Fixtures

/// A fresh, empty directory under the scratch root.
func scratchDirectory(_ prefix: String) throws -> URL {
    let directory = Settings.scratch.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: Settings.scratch, withIntermediateDirectories: true)
    return directory
}

func removeScratch(_ directory: URL) {
    do {
        try FileManager.default.removeItem(at: directory)
    } catch {
        log("could not remove \(directory.path): \(error)")
    }
    // The per-process root, once empty.
    if let left = try? FileManager.default.contentsOfDirectory(atPath: Settings.scratch.path), left.isEmpty {
        try? FileManager.default.removeItem(at: Settings.scratch)
    }
}

/// Events from the simulator to append into fresh ledgers.
struct AppendFixture {
    let registry: EventTypeRegistry
    let commits: [[StreamAppend]]
    let events: Int
}

/// A generated workload, opened read-only.
final class WorkloadFixture {
    let workload: Workload
    let ledger: Ledger
    let head: UInt64

    init(events: Int) throws {
        let started = ContinuousClock.now
        workload = try Workload.prepare(events: events, root: Settings.workloads, log: log)
        ledger = try Ledger(directory: workload.directory, registry: try .accountability(), options: Workload.readOnly())
        head = try ledger.head().position
        log("workload of \(head) events ready in \(ContinuousClock.now - started): \(workload.directory.path)")
    }

    deinit { ledger.close() }
}

/// A writable copy of a workload with the three models checkpointed at its head.
final class CatchUpFixture {
    let directory: URL
    let ledger: Ledger
    let models: CheckpointedProjection<CombinedProjection<CombinedProjection<ProgressProjection, EngagementProjection>, CommitmentProjection>>
    /// A copy of the log's last event (a new id each time it is appended).
    let template: RecordedEvent

    init(events: Int, storing: CheckpointStoring) throws {
        let source = try WorkloadFixture(events: events)
        directory = try scratchDirectory("catch-up")
        let started = ContinuousClock.now
        try source.ledger.backup(to: directory)
        source.ledger.close()
        ledger = try Ledger(directory: directory, registry: try .accountability())
        let three = try threeModels()
        // One checkpoint for the initial catch-up (setup). With `.everyCatchUp` a catch-up of one
        // event stores a checkpoint (an encode of the whole state); with
        // `.everyEventsPerCheckpoint` it keeps the folded state in memory until that many events.
        models = try CheckpointedProjection(ledger: ledger, projection: three, eventsPerCheckpoint: max(100_000, source.head), storing: storing)
        let snapshot = try models.catchUp()
        guard snapshot.position == source.head else {
            throw BenchError("the initial catch-up reached \(snapshot.position), not the head \(source.head)")
        }
        guard let last = try ledger.events(.all(direction: .backward), limit: 1).first else {
            throw BenchError("the copied workload is empty")
        }
        template = last
        log("copied and caught up \(snapshot.position) events in \(ContinuousClock.now - started)")
    }

    /// Appends one more event like the log's last one; returns its position.
    func appendOne() throws -> UInt64 {
        let event = ProposedEvent(eventType: template.eventType, schemaVersion: template.schemaVersion, payload: template.payload,
                                  occurredAt: template.occurredAt, actor: template.actor,
                                  correlationID: template.correlationID, causationID: template.causationID)
        let result = try ledger.append([event], to: template.stream)
        guard let position = result.positions.last else { throw BenchError("the append returned no position") }
        return position
    }

    func close() {
        ledger.close()
        removeScratch(directory)
    }
}

// MARK: - The benchmarks

/// What the plugin's generated `main` calls (`_ = benchmarks()`): a `Sendable` global, returning a
/// value so that the generated `_ =` is not a warning.
let benchmarks: @Sendable () -> Bool = {
    registerBenchmarks()
    return true
}

func registerBenchmarks() {
    let size = Settings.label(Settings.events)

    // 1. Durable appends into a fresh ledger: 1, 100 and 10,000 events per commit.
    let appendConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, Metrics.eventsPerSecond, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 5)
    for (perCommit, commits) in [(1, 500), (100, 100), (10_000, 20)] {
        let name = "Append: \(perCommit.formatted()) event\(perCommit == 1 ? "" : "s") per commit (\(commits) commits, full durability)"
        register(name, appendConfiguration, setup: {
            let pool = try AppendPool(count: perCommit * commits)
            let batches = pool.commits(eventsPerCommit: perCommit, commits: commits)
            guard !batches.isEmpty else { throw BenchError("the simulator gave only \(pool.entries.count) events") }
            return AppendFixture(registry: try .accountability(), commits: batches, events: batches.eventCount)
        }) { benchmark, fixture in
            let directory = try scratchDirectory("append")
            defer { removeScratch(directory) }
            let ledger = try Ledger(directory: directory, registry: fixture.registry)
            defer { ledger.close() }
            let (_, elapsed) = try measured(benchmark) {
                for commit in fixture.commits { try ledger.append(commit) }
            }
            benchmark.measurement(Metrics.eventsPerSecond, Metrics.rate(fixture.events, elapsed))
            let head = try ledger.head().position
            guard head == UInt64(fixture.events) else { throw BenchError("the ledger holds \(head) of \(fixture.events) events") }
        }
    }

    // 2. Many concurrent single-event appends (each task its own stream): group commit.
    let concurrentConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, Metrics.eventsPerSecond, .mallocCountTotal],
        warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 5)
    for tasks in [1, 8, 64] {
        let perTask = tasks == 1 ? 500 : max(16, 2_048 / tasks)
        let name = "Append: \(tasks) concurrent task\(tasks == 1 ? "" : "s") × \(perTask) single-event appends (async, group commit)"
        registerAsync(name, concurrentConfiguration, setup: { () throws -> (EventTypeRegistry, [[ProposedEvent]]) in
            let pool = try AppendPool(count: tasks * perTask)
            guard pool.entries.count >= tasks * perTask else { throw BenchError("the simulator gave only \(pool.entries.count) events") }
            let perWriter = (0..<tasks).map { task in pool.entries[(task * perTask)..<((task + 1) * perTask)].map(\.event) }
            return (try .accountability(), perWriter)
        }) { benchmark, fixture in
            let (registry, perWriter) = fixture
            let directory = try scratchDirectory("concurrent")
            defer { removeScratch(directory) }
            let ledger = try Ledger(directory: directory, registry: registry)
            defer { ledger.close() }
            let (_, elapsed) = try await measuredAsync(benchmark) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, events) in perWriter.enumerated() {
                        group.addTask {
                            for event in events { try await ledger.append([event], to: "bench-writer-\(index)") }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let total = tasks * perTask
            benchmark.measurement(Metrics.eventsPerSecond, Metrics.rate(total, elapsed))
            let head = try ledger.head().position
            guard head == UInt64(total) else { throw BenchError("the ledger holds \(head) of \(total) events") }
        }
    }

    // 3. Full replays of the workload: decoding only, each read model, three models together.
    let replayConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, Metrics.eventsPerSecond, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 5)
    func replay<P: Projection>(_ title: String, _ configuration: Benchmark.Configuration = replayConfiguration,
                               _ makeProjection: @escaping () throws -> P) {
        register("Replay: \(title) (\(size) events)", configuration, setup: {
            (try WorkloadFixture(events: Settings.events), try makeProjection())
        }) { benchmark, fixture in
            let (workload, projection) = fixture
            let (result, elapsed) = try measured(benchmark) { try workload.ledger.replay(projection) }
            blackHole(result.state)
            guard result.position == workload.head else {
                throw BenchError("the replay stopped at \(result.position), not the head \(workload.head)")
            }
            benchmark.measurement(Metrics.eventsPerSecond, Metrics.rate(Int(result.position), elapsed))
        }
    }
    replay("decode only (DecodeCount)") { DecodeCount() }
    replay("Progress") { ProgressProjection() }
    replay("Engagement") { EngagementProjection() }
    replay("Commitment") { CommitmentProjection() }
    replay("ProgramHealth") { ProgramHealthProjection() }
    replay("Nudge") { NudgeProjection() }
    replay("Progress+Engagement+Commitment") { try threeModels() }

    // 4. Checkpointed catch-up of one new event (O(1) in the log's length, DESIGN §8).
    let catchUpConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 0, maxDuration: .seconds(10), maxIterations: 20)
    func catchUp(_ events: Int) {
        let label = Settings.label(events)
        for (storing, how) in [(CheckpointStoring.everyCatchUp, "stored every catch-up"), (.everyEventsPerCheckpoint, "stored every 100k events")] {
            register("Catch-up: append 1 event + catchUp, 3 models, \(how) (\(label) events)", catchUpConfiguration,
                     setup: { try CatchUpFixture(events: events, storing: storing) }, teardown: { $0.close() }) { benchmark, fixture in
                let (snapshot, _) = try measured(benchmark) { () throws -> ProjectionSnapshot<ThreeModels.State> in
                    let position = try fixture.appendOne()
                    let snapshot = try fixture.models.catchUp()
                    guard snapshot.position == position else { throw BenchError("caught up to \(snapshot.position), not \(position)") }
                    return snapshot
                }
                blackHole(snapshot.state)
            }
            register("Catch-up: catchUp of 1 new event, 3 models, \(how) (\(label) events)", catchUpConfiguration,
                     setup: { try CatchUpFixture(events: events, storing: storing) }, teardown: { $0.close() }) { benchmark, fixture in
                let position = try fixture.appendOne()
                let (snapshot, _) = try measured(benchmark) { try fixture.models.catchUp() }
                guard snapshot.position == position else { throw BenchError("caught up to \(snapshot.position), not \(position)") }
                blackHole(snapshot.state)
            }
        }
    }
    let sizes = Settings.large && Settings.largeEvents != Settings.events ? [Settings.events, Settings.largeEvents] : [Settings.events]
    for events in sizes { catchUp(events) }

    // 5. Time travel to the middle of the log: by position and by recorded-at time.
    register("Time travel: 3 models through position head/2 (\(size) events)", replayConfiguration, setup: {
        (try WorkloadFixture(events: Settings.events), try threeModels())
    }) { benchmark, fixture in
        let (workload, three) = fixture
        let middle = workload.head / 2
        let (result, elapsed) = try measured(benchmark) { try workload.ledger.replay(three, .all().through(position: middle)) }
        blackHole(result.state)
        guard result.position == middle else { throw BenchError("the replay stopped at \(result.position), not \(middle)") }
        benchmark.measurement(Metrics.eventsPerSecond, Metrics.rate(Int(result.eventsApplied), elapsed))
    }
    register("Time travel: 3 models recorded up to the middle event's time (\(size) events)", replayConfiguration, setup: {
        () throws -> (WorkloadFixture, ThreeModels, Timestamp) in
        let workload = try WorkloadFixture(events: Settings.events)
        guard let middle = try workload.ledger.events(.all(from: max(1, workload.head / 2)), limit: 1).first else {
            throw BenchError("the workload has no middle event")
        }
        return (workload, try threeModels(), middle.recordedAt)
    }) { benchmark, fixture in
        let (workload, three, time) = fixture
        let (result, elapsed) = try measured(benchmark) { try workload.ledger.replay(three, .all().recorded(upTo: time)) }
        blackHole(result.state)
        guard result.position >= workload.head / 2, result.position < workload.head else {
            throw BenchError("the replay up to \(time) stopped at \(result.position) of \(workload.head)")
        }
        benchmark.measurement(Metrics.eventsPerSecond, Metrics.rate(Int(result.eventsApplied), elapsed))
    }

    // 6. Peak memory of one full replay in a fresh process (no warm-up iteration).
    let memoryConfiguration = Benchmark.Configuration(
        metrics: [.peakMemoryResident, .peakMemoryResidentDelta, Metrics.rssAnonymous, Metrics.rssFile, .wallClock],
        warmupIterations: 0, maxDuration: .seconds(60), maxIterations: 1)
    func peakMemory<P: Projection>(_ title: String, _ events: Int, _ makeProjection: @escaping () throws -> P) {
        register("Peak memory: replay \(title) (\(Settings.label(events)) events)", memoryConfiguration, setup: {
            (try WorkloadFixture(events: events), try makeProjection())
        }) { benchmark, fixture in
            let (workload, projection) = fixture
            benchmark.startMeasurement()
            let result = try workload.ledger.replay(projection)
            let split = Metrics.residentSplit()     // while the state is alive
            benchmark.stopMeasurement()
            blackHole(result.state)
            guard result.position == workload.head else {
                throw BenchError("the replay stopped at \(result.position), not the head \(workload.head)")
            }
            if let split {
                benchmark.measurement(Metrics.rssAnonymous, split.anonymous)
                benchmark.measurement(Metrics.rssFile, split.file)
            }
        }
    }
    for events in sizes {
        peakMemory("decode only", events) { DecodeCount() }
        peakMemory("Progress+Engagement+Commitment", events) { try threeModels() }
    }

    // 7. Opening the workload read-only, with and without the page check that reads every page of
    //    every B-tree before LMDB does (LedgerOptions.checksPagesAtOpen, issue 7). The file is in
    //    the page cache after the warm-up iteration, so this is the check's own cost.
    let openConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 5)
    for checks in [true, false] {
        register("Open: read-only, page check \(checks ? "on" : "off") (\(size) events)", openConfiguration, setup: {
            let workload = try Workload.prepare(events: Settings.events, root: Settings.workloads, log: log)
            return (workload.directory, try EventTypeRegistry.accountability())
        }) { benchmark, fixture in
            var options = Workload.readOnly()
            options.checksPagesAtOpen = checks
            let (ledger, _) = try measured(benchmark) { try Ledger(directory: fixture.0, registry: fixture.1, options: options) }
            defer { ledger.close() }
            guard ledger.pageFaults.isEmpty else { throw BenchError("the workload has page faults: \(ledger.pageFaults)") }
        }
    }
}
