import Accountability
import BenchmarkWorkloads
import EventLedger
import Foundation

/// `BenchCompare read-models [EVENTS...]` (`make bench-read-models`): the persisted read models
/// of the mentoring domain (``AccountabilityReadModels``), end to end, on programs of the same
/// 15,151 mentorships run for 6 months per million events (so 10M events is the same program
/// kept ten times as long):
/// - replay *and report* of progress + engagement + commitment in memory (fold every record with
///   the persisted models' settling, ``RecordSettling/standard``, then evaluate every row at the
///   last event's time), against the raw LMDB scan of the same log;
/// - peak memory of that replay (a child process), and the encoded bytes per mentorship record;
/// - the first persisted build (fold + write every record), then the catch-up of one new event
///   into a mentorship (durable: the ledger's default fsync), the median of 101 rounds;
/// - one pair's answer (progress + engagement + commitment + health + nudges) read from the
///   persisted rows, the median over 2,001 random pairs.
/// Writes results/read-models.json.
enum ReadModelsBench {
    static let mentorships = 15_151

    /// Months of the simulated program that give about `events` events: 6 per million up to
    /// 1M (990,018 events at 6 months); past that the pairs settle into their cadence and each
    /// further month adds about 124,400 events (7,707,101 at 60 months), so 10M is 78 months.
    static func months(for events: Int) -> Int {
        if events <= 1_000_000 { return max(1, Int((Double(events) / 1_000_000 * 6).rounded())) }
        return 6 + Int((Double(events - 1_000_000) / 124_400).rounded())
    }

    static func run(sizes: [Int], root: URL, log: (String) -> Void) throws {
        var all: [String: Any] = [:]
        for events in sizes {
            let months = months(for: events)
            let config = SimulationConfig(seed: 1, mentorships: mentorships, months: months)
            let workload = try Workload.prepare(config: config, root: root.appendingPathComponent(".workloads"), log: log)
            log("read-models: \(workload.events) events, \(mentorships) mentorships × \(months) months")
            var figures: [(String, Double)] = [("events", Double(workload.events)), ("mentorships", Double(mentorships)), ("months", Double(months))]

            let memory = try recordsMemory(workload.directory, expected: workload.events)
            figures += [("replay_peak_rss_mb", memory.resident), ("replay_peak_anon_mb", memory.anonymous)]

            let ledger = try Ledger(directory: workload.directory, registry: try .accountability(), options: Workload.readOnly())
            let raw = try best(3) { try RawLMDB.scan(workload.directory).count }
            var foldSeconds = 0.0, reportSeconds = 0.0
            let total = try best(3) { () -> Int in
                let start = ContinuousClock.now
                let snapshot = try AccountabilityReadModels.replay(ledger, settling: .standard)
                let records = try snapshot.records()
                let folded = ContinuousClock.now
                let asOf = try ledger.head().recordedAt ?? Timestamp(microsecondsSinceEpoch: 0)
                let progress = ProgressReport(records: records, asOf: asOf)
                let engagement = EngagementReport(records: records, asOf: asOf)
                let commitment = CommitmentReport(records: records, asOf: asOf)
                let end = ContinuousClock.now
                foldSeconds = seconds(folded - start)
                reportSeconds = seconds(end - folded)
                return progress.goals.count + engagement.mentorships.count + commitment.mentorships.count
            }
            let snapshot = try AccountabilityReadModels.replay(ledger, settling: .standard)
            let records = try snapshot.records()
            var bytes = 0
            for record in records {
                var writer = EventPayloadWriter(capacity: 1024)
                record.encode(into: &writer)
                bytes += writer.bytes.count
            }
            ledger.close()
            figures += [("raw_lmdb_scan_s", raw.seconds), ("replay_and_report_s", total.seconds),
                        ("replay_fold_s", foldSeconds), ("replay_report_s", reportSeconds),
                        ("replay_and_report_vs_raw_scan", raw.seconds / total.seconds),
                        ("record_bytes_per_mentorship", Double(bytes) / Double(max(1, records.count)))]

            // Persisted, on a copy of the workload (the workload stays untouched).
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bench-read-models-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: copy) }
            try FileManager.default.copyItem(at: workload.directory, to: copy)
            let writable = try Ledger(directory: copy, registry: try .accountability())
            defer { writable.close() }
            let models = try AccountabilityReadModels(ledger: writable, eventsPerCommit: 100_000)
            let build = try best(1) { try models.catchUp() }
            figures.append(("persisted_build_s", build.seconds))

            let streams = try writable.read { try $0.streams() }.map(\.name).filter { $0.hasPrefix(MentorshipStream.prefix) }
            var generator = SystemRandomNumberGenerator()
            var rounds: [Double] = []
            for _ in 0..<101 {
                guard let stream = streams.randomElement(using: &generator) else { throw Mismatch(description: "no mentorship streams") }
                let nudge = NudgeSent(rule: .taskOverdue, subject: UUID(), recipient: UUID())
                let appended = try writable.append([try ProposedEvent(nudge)], to: stream)
                let start = ContinuousClock.now
                let reached = try models.catchUp()
                rounds.append(seconds(ContinuousClock.now - start))
                guard reached == appended.positions.upperBound - 1 else {
                    throw Mismatch(description: "catch-up reached \(reached), not \(appended.positions.upperBound - 1)")
                }
            }
            figures.append(("catchup_one_event_ms", median(rounds) * 1000))

            let ids = streams.compactMap(MentorshipStream.mentorship(inStream:))
            let asOf = try writable.head().recordedAt ?? Timestamp(microsecondsSinceEpoch: 0)
            var answers: [Double] = []
            var checksum = 0.0
            for _ in 0..<2_001 {
                guard let id = ids.randomElement(using: &generator) else { break }
                let start = ContinuousClock.now
                let answer = try models.read { try $0.mentorship(id, asOf: asOf) }
                answers.append(seconds(ContinuousClock.now - start))
                guard let answer else { throw Mismatch(description: "no answer for mentorship \(id)") }
                checksum += answer.engagement?.engagementScore ?? 0
            }
            figures.append(("one_pair_answer_us", median(answers) * 1_000_000))
            log("checksum of the answers' engagement scores: \(checksum)")

            var json: [String: Any] = [:]
            for (key, value) in figures {
                json[key] = (value * 1000).rounded() / 1000
                print("\(key.padding(toLength: 32, withPad: " ", startingAt: 0)) \(String(format: "%14.3f", value))")
            }
            all["\(workload.events)"] = json
        }
        let results = root.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: all, options: [.prettyPrinted, .sortedKeys])
        let file = results.appendingPathComponent("read-models.json")
        try data.write(to: file)
        log("wrote \(file.path)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// Peak memory of the in-memory fold of every record, in a child process of its own
    /// (`--records-rss-child`): VmHWM and the highest RssAnon, in MB.
    static func recordsMemory(_ directory: URL, expected: Int) throws -> (resident: Double, anonymous: Double) {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--records-rss-child", directory.path]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else { throw Mismatch(description: "the records memory child exited with \(child.terminationStatus)") }
        let fields = String(decoding: printed, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard fields.count == 3, Int(fields[0]) == expected else {
            throw Mismatch(description: "the records memory child printed '\(String(decoding: printed, as: UTF8.self))', not \(expected) and two sizes")
        }
        return (fields[1] / 1024, fields[2] / 1024)
    }

    /// The child: folds every record in memory and evaluates the three reports while a thread
    /// samples memory; prints "<head position> <peak RSS kB> <peak anonymous kB>".
    static func child(_ directory: String) -> Never {
        do {
            let sampler = MemorySampler()
            sampler.start()
            let ledger = try Ledger(directory: URL(fileURLWithPath: directory), registry: try .accountability(), options: Workload.readOnly())
            let snapshot = try AccountabilityReadModels.replay(ledger, settling: .standard)
            let records = try snapshot.records()
            let asOf = try ledger.head().recordedAt ?? Timestamp(microsecondsSinceEpoch: 0)
            let rows = ProgressReport(records: records, asOf: asOf).goals.count
                + EngagementReport(records: records, asOf: asOf).mentorships.count
                + CommitmentReport(records: records, asOf: asOf).mentorships.count
            let peak = sampler.stop()
            log("records child: \(records.count) records, \(rows) report rows")
            print(snapshot.position, peak.residentKB, peak.anonymousKB)
            ledger.close()
            exit(0)
        } catch {
            log("records child failed: \(error)")
            exit(1)
        }
    }
}
