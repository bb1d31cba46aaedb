import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `BenchCompare import [EVENTS...]` (`make bench-import`): the release `ledger import` of a large
/// export, end to end, as a user waits for it; a table and `results/import.json`.
///
/// For each requested size N:
/// 1. setup (cached): `ledger simulate` of about N events (6 months of N / 64.75 mentorships; the
///    simulator's real count is used), `ledger export -o` as NDJSON, and a copy of the export whose
///    line 1 has one digit of `data` changed (its `canonical` untouched). The cache lives in
///    `Benchmarks/.build/import-cache/n<N>-m<mentorships>x6-seed1/`; the simulated ledger is
///    deleted once exported. A cached export that the current `ledger verify-export` refuses is
///    built again (the export format may have changed).
/// 2. the peers, on the same file: a plain sequential read(2) in 1 MiB chunks (the raw limit),
///    `ledger verify-export FILE` (every line parsed and proved, nothing written) and, optionally,
///    `python3 Scripts/verify_export.py FILE`;
/// 3. `ledger import NEWDIR FILE --admins-file ADMINS` into a directory that does not exist (the
///    new-ledger path), then the same with `--faithful` (whose head must be the source's);
/// 4. the doctored file: the time until `ledger import` exits with status 1, naming line 1 on
///    standard error, with nothing written (best and median of a few runs).
///
/// Every `ledger` run is a child process started with posix_spawn and reaped with wait4, so the
/// wall time is the user's wait and `ru_maxrss` is that child's own peak resident set (KiB); a
/// thread also samples the child's /proc/PID/status every 5 ms for the peaks of RssAnon (heap)
/// and RssFile (mapped file pages: the LMDB map). The file is in the page cache for every
/// measured run (the sequential read runs first): the figures are CPU and write bound, not disk
/// read bound.
enum ImportBench {
    /// Targets from the brief: lines per second at 1M events, and peak RSS at every size.
    static let targetLinesPerSecond = 100_000.0
    static let targetPeakRSSMB = 256.0
    static let targetBadLineSeconds = 1.0

    /// Options parsed from `BenchCompare import [EVENTS...] [--ledger PATH] [--fresh]
    /// [--with-python|--no-python] [--bad-runs K]`.
    struct Options {
        var events: [Int] = []
        var ledger: URL
        var fresh = false
        /// nil: run the Python verifier up to 1,000,000 events (about a minute there); true/false forces it.
        var python: Bool?
        var badRuns = 5

        init(arguments: ArraySlice<String>, root: URL) throws {
            ledger = root.deletingLastPathComponent().appendingPathComponent(".build/release/ledger")
            var rest = arguments
            while let argument = rest.popFirst() {
                switch argument {
                case "--ledger":
                    guard let path = rest.popFirst() else { throw Mismatch(description: "--ledger needs a path") }
                    ledger = URL(fileURLWithPath: path)
                case "--fresh": fresh = true
                case "--with-python": python = true
                case "--no-python": python = false
                case "--bad-runs":
                    guard let value = rest.popFirst().flatMap({ Int($0) }), value > 0 else { throw Mismatch(description: "--bad-runs needs a count > 0") }
                    badRuns = value
                default:
                    guard let n = Int(argument.replacingOccurrences(of: "_", with: "")), n > 0 else {
                        throw Mismatch(description: "usage: BenchCompare import [EVENTS...] [--ledger PATH] [--fresh] [--with-python|--no-python] [--bad-runs K]; '\(argument)' is not an event count > 0")
                    }
                    events.append(n)
                }
            }
            if events.isEmpty { events = [1_000_000] }
        }
    }

    /// Runs every requested size and writes `results/import.json`.
    static func run(_ options: Options, root: URL, log: (String) -> Void) throws {
        guard FileManager.default.isExecutableFile(atPath: options.ledger.path) else {
            throw Mismatch(description: "no ledger executable at \(options.ledger.path); run `swift build -c release --product ledger` in the root package")
        }
        let cache = root.appendingPathComponent(".build/import-cache")
        // A copy of the executable, so that a rebuild of the root package during the run does not
        // mix two builds in one report.
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let snapshot = cache.appendingPathComponent("ledger")
        try? FileManager.default.removeItem(at: snapshot)
        try FileManager.default.copyItem(at: options.ledger, to: snapshot)
        let built = (try? FileManager.default.attributesOfItem(atPath: options.ledger.path)[.modificationDate] as? Date) ?? nil
        let original = options.ledger
        var options = options
        options.ledger = snapshot
        let script = root.deletingLastPathComponent().appendingPathComponent("Scripts/verify_export.py")
        var runs: [[String: Any]] = []
        var rows: [Row] = []
        for n in options.events {
            let (json, row) = try measure(events: n, options: options, cache: cache, script: script, log: log)
            runs.append(json)
            rows.append(row)
        }
        printTable(rows)

        let results = root.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        var uname = utsname()
        _ = Glibc.uname(&uname)
        let machine = withUnsafeBytes(of: &uname.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = withUnsafeBytes(of: &uname.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let document: [String: Any] = [
            "benchmark": "ledger import of a large NDJSON export (make bench-import)",
            "command": (["BenchCompare", "import"] + CommandLine.arguments.dropFirst(2)).joined(separator: " "),
            "date": ISO8601DateFormatter().string(from: Date()),
            "ledger_executable": original.path,
            "ledger_copy_run": snapshot.path,
            "ledger_built": built.map { ISO8601DateFormatter().string(from: $0) } ?? NSNull(),
            "machine": ["cores": ProcessInfo.processInfo.activeProcessorCount,
                        "memory_gib": Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30),
                        "arch": machine, "kernel": release],
            "method": "each ledger command is a child process (posix_spawn, reaped by wait4): wall_s is spawn to exit; peak_rss_mb is the child's ru_maxrss (KiB / 1024); peak_anon_mb and peak_file_mb are the highest RssAnon and RssFile seen in /proc/PID/status every 5 ms. The export is in the page cache for every measured run (read first).",
            "targets": ["import_lines_per_s_at_1M": targetLinesPerSecond, "peak_rss_mb": targetPeakRSSMB, "bad_first_line_s": targetBadLineSeconds],
            "runs": runs,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        let file = results.appendingPathComponent("import.json")
        try data.write(to: file)
        log("wrote \(file.path)")
    }

    // MARK: - One size

    struct Row {
        var events: Int
        var megabytes: Double
        var importRun: ChildRun
        var faithfulRun: ChildRun
        var verifyRun: ChildRun
        var readSeconds: Double
        var pythonSeconds: Double?
        var badBest: Double
        var badMedian: Double
    }

    static func measure(events requested: Int, options: Options, cache: URL, script: URL, log: (String) -> Void) throws -> ([String: Any], Row) {
        let mentorships = max(1, Int((Double(requested) / 64.75).rounded()))
        let months = 6
        let directory = cache.appendingPathComponent("n\(requested)-m\(mentorships)x\(months)-seed1")
        var setup = try prepare(directory: directory, mentorships: mentorships, months: months, fresh: options.fresh, ledger: options.ledger, log: log)
        let export = setup.export
        let bytes = try fileSize(export)
        log("export: \(setup.events) events, \(bytes) bytes in \(export.path)")

        // The raw limit first: it also brings the file into the page cache for the runs after it.
        _ = try sequentialRead(export)
        let read = try best(3) { try sequentialRead(export) }
        guard read.value == bytes else { throw Mismatch(description: "read \(read.value) of \(bytes) bytes") }
        log(String(format: "sequential read (1 MiB chunks): %.3f s, %.0f MB/s", read.seconds, Double(bytes) / read.seconds / 1e6))

        let verifyArguments = ["verify-export", export.path]
        var verify = try ChildRun.spawn(options.ledger, verifyArguments, scratch: directory)
        if verify.exitStatus != 0 && setup.cached {
            // The cached export predates a format change: build it again, once.
            log("the cached export is refused by this ledger (\(verify.stdoutTail.isEmpty ? verify.stderrTail : verify.stdoutTail)); building it again")
            setup = try prepare(directory: directory, mentorships: mentorships, months: months, fresh: true, ledger: options.ledger, log: log)
            _ = try sequentialRead(export)
            verify = try ChildRun.spawn(options.ledger, verifyArguments, scratch: directory)
        }
        guard verify.exitStatus == 0, verify.stdoutTail.contains("chain intact: \(setup.events) events") else {
            throw Mismatch(description: "verify-export exited \(verify.exitStatus): \(verify.stdoutTail) \(verify.stderrTail)")
        }
        log(String(format: "verify-export: %.2f s, %.0f lines/s, peak RSS %.1f MB", verify.wallSeconds, Double(setup.events) / verify.wallSeconds, verify.peakRSSMB))

        var python: ChildRun?
        if options.python ?? (setup.events <= 1_000_000), FileManager.default.fileExists(atPath: script.path), let python3 = which("python3") {
            let run = try ChildRun.spawn(python3, [script.path, export.path], scratch: directory)
            guard run.exitStatus == 0 else { throw Mismatch(description: "verify_export.py exited \(run.exitStatus): \(run.stdoutTail) \(run.stderrTail)") }
            log(String(format: "verify_export.py: %.2f s, %.0f lines/s", run.wallSeconds, Double(setup.events) / run.wallSeconds))
            python = run
        }

        // The imports, each into a directory that does not exist.
        let scratch = directory.appendingPathComponent("runs")
        try? FileManager.default.removeItem(at: scratch)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plainTarget = scratch.appendingPathComponent("imported")
        let plainArguments = ["import", plainTarget.path, export.path, "--admins-file", setup.admins.path]
        let plain = try ChildRun.spawn(options.ledger, plainArguments, scratch: directory)
        guard plain.exitStatus == 0, plain.stdoutTail.contains("imported \(setup.events) events"), plain.stdoutTail.contains("from \(setup.events) lines") else {
            throw Mismatch(description: "import exited \(plain.exitStatus): \(plain.stdoutTail) \(plain.stderrTail)")
        }
        let plainBytes = try fileSize(plainTarget.appendingPathComponent("data.mdb"))
        log(String(format: "import: %.2f s, %.0f lines/s, peak RSS %.1f MB (anon %.1f, file %.1f), data.mdb %.0f MB",
                   plain.wallSeconds, Double(setup.events) / plain.wallSeconds, plain.peakRSSMB, plain.peakAnonMB, plain.peakFileMB, Double(plainBytes) / 1e6))
        try FileManager.default.removeItem(at: plainTarget)

        let faithfulTarget = scratch.appendingPathComponent("faithful")
        let faithfulArguments = ["import", "--faithful", faithfulTarget.path, export.path, "--admins-file", setup.admins.path]
        let faithful = try ChildRun.spawn(options.ledger, faithfulArguments, scratch: directory)
        guard faithful.exitStatus == 0, faithful.stdoutTail.contains("copied \(setup.events) events") else {
            throw Mismatch(description: "import --faithful exited \(faithful.exitStatus): \(faithful.stdoutTail) \(faithful.stderrTail)")
        }
        log(String(format: "import --faithful: %.2f s, %.0f lines/s, peak RSS %.1f MB (anon %.1f, file %.1f)",
                   faithful.wallSeconds, Double(setup.events) / faithful.wallSeconds, faithful.peakRSSMB, faithful.peakAnonMB, faithful.peakFileMB))
        // The copy's head must be the source's (not timed).
        let stats = try ChildRun.spawn(options.ledger, ["stats", faithfulTarget.path], scratch: directory, sample: false)
        let headMatches = stats.exitStatus == 0 && stats.stdoutTail.contains(setup.head)
        guard headMatches else { throw Mismatch(description: "the faithful copy's head is not the source's \(setup.head): \(stats.stdoutTail)") }
        try FileManager.default.removeItem(at: faithfulTarget)

        // The doctored first line: the import must stop at once, name line 1 and write nothing.
        let badTarget = scratch.appendingPathComponent("bad")
        let badArguments = ["import", badTarget.path, setup.badFile.path, "--admins-file", setup.admins.path]
        var badRuns: [ChildRun] = []
        for _ in 0..<options.badRuns {
            let run = try ChildRun.spawn(options.ledger, badArguments, scratch: directory)
            guard run.exitStatus == 1, run.stderrTail.contains("line 1:") || run.stderrTail.contains("line 1,") else {
                throw Mismatch(description: "import of the doctored file exited \(run.exitStatus), stderr: \(run.stderrTail)")
            }
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
            guard leftovers.isEmpty else { throw Mismatch(description: "the refused import left \(leftovers) in \(scratch.path)") }
            badRuns.append(run)
        }
        let badTimes = badRuns.map(\.wallSeconds).sorted()
        let badBest = badTimes[0], badMedian = badTimes[badTimes.count / 2]
        log(String(format: "doctored line 1: refused in %.3f s (best), %.3f s (median of %d): ", badBest, badMedian, badTimes.count)
            + badRuns[0].stderrTail.trimmingCharacters(in: .whitespacesAndNewlines))

        let lines = Double(setup.events)
        let rate = lines / plain.wallSeconds
        var targets: [String: Any] = [
            "peak_rss_below_256_mb": plain.peakRSSMB < targetPeakRSSMB,
            "faithful_peak_rss_below_256_mb": faithful.peakRSSMB < targetPeakRSSMB,
            "bad_first_line_below_1_s": badMedian < targetBadLineSeconds,
        ]
        if requested == 1_000_000 { targets["lines_per_s_at_least_100k"] = rate >= targetLinesPerSecond }
        var json: [String: Any] = [
            "requested_events": requested,
            "events": setup.events,
            "lines": setup.events,
            "export_bytes": bytes,
            "export_bytes_per_line": Double(bytes) / lines,
            "export_file": export.path,
            "setup": setup.json,
            "sequential_read": ["wall_s": round3(read.seconds), "mb_per_s": (Double(bytes) / read.seconds / 1e6).rounded(),
                                "lines_per_s": (lines / read.seconds).rounded(), "method": "read(2) in 1 MiB chunks, best of 3, page cache warm"],
            "verify_export": verify.json(lines: lines, command: verifyArguments),
            "import": plain.json(lines: lines, command: plainArguments).merging(["data_mdb_bytes": plainBytes]) { $1 },
            "import_faithful": faithful.json(lines: lines, command: faithfulArguments).merging(["head_matches_source": headMatches]) { $1 },
            "bad_first_line": [
                "command": (["ledger"] + badArguments).joined(separator: " "),
                "file": setup.badFile.path,
                "doctored": setup.doctored,
                "runs": badTimes.count,
                "best_s": round3(badBest), "median_s": round3(badMedian),
                "exit_status": badRuns[0].exitStatus,
                "stderr": badRuns[0].stderrTail.trimmingCharacters(in: .whitespacesAndNewlines),
                "peak_rss_mb": round1(badRuns.map(\.peakRSSMB).max() ?? 0),
                "nothing_written": true,
            ] as [String: Any],
            "ratios": [
                "import_over_sequential_read": round1(plain.wallSeconds / read.seconds),
                "import_over_verify_export": round3(plain.wallSeconds / verify.wallSeconds),
                "faithful_over_verify_export": round3(faithful.wallSeconds / verify.wallSeconds),
                "verify_export_over_sequential_read": round1(verify.wallSeconds / read.seconds),
                "import_over_python_verify": python.map { round3(plain.wallSeconds / $0.wallSeconds) } ?? NSNull(),
            ] as [String: Any],
            "targets_met": targets,
        ]
        if let python { json["python_verify_export"] = python.json(lines: lines, command: ["python3", script.path, export.path]) }
        let row = Row(events: setup.events, megabytes: Double(bytes) / 1e6, importRun: plain, faithfulRun: faithful, verifyRun: verify,
                      readSeconds: read.seconds, pythonSeconds: python?.wallSeconds, badBest: badBest, badMedian: badMedian)
        return (json, row)
    }

    static func printTable(_ rows: [Row]) {
        func column(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        print("")
        print("ledger import of a large export (wall = the user's wait; RSS = the child's ru_maxrss)")
        let header = ["events", "MB", "run", "wall s", "lines/s", "peak RSS MB", "anon MB", "file MB", "CPU s", "/read", "/verify-exp"]
        let widths = [9, 7, 16, 8, 10, 12, 8, 8, 8, 7, 11]
        print(zip(header, widths).map { column($0, $1) }.joined(separator: " "))
        for row in rows {
            let n = Double(row.events)
            func line(_ name: String, _ run: ChildRun?, wall: Double) {
                let rate = String(format: "%.0f", n / wall)
                let rss = run.map { String(format: "%.1f", $0.peakRSSMB) } ?? "-"
                let anon = run.map { String(format: "%.1f", $0.peakAnonMB) } ?? "-"
                let file = run.map { String(format: "%.1f", $0.peakFileMB) } ?? "-"
                let cpu = run.map { String(format: "%.2f", $0.cpuSeconds) } ?? "-"
                let overRead = String(format: "%.1f", wall / row.readSeconds)
                let overVerify = String(format: "%.2f", wall / row.verifyRun.wallSeconds)
                let cells: [String] = ["\(row.events)", String(format: "%.0f", row.megabytes), name, String(format: "%.2f", wall), rate,
                                       rss, anon, file, cpu, overRead, overVerify]
                print(zip(cells, widths).map { column($0, $1) }.joined(separator: " "))
            }
            line("import", row.importRun, wall: row.importRun.wallSeconds)
            line("import faithful", row.faithfulRun, wall: row.faithfulRun.wallSeconds)
            line("verify-export", row.verifyRun, wall: row.verifyRun.wallSeconds)
            if let python = row.pythonSeconds { line("verify_export.py", nil, wall: python) }
            line("read(2) 1 MiB", nil, wall: row.readSeconds)
            print(column("\(row.events)", 9) + String(format: " doctored line 1: refused (exit 1, \"line 1\") in %.3f s best, %.3f s median",
                                                       row.badBest, row.badMedian))
        }
        for row in rows {
            let rate = Double(row.events) / row.importRun.wallSeconds
            var verdicts: [String] = []
            if row.events >= 900_000 && row.events <= 1_100_000 {
                verdicts.append(rate >= targetLinesPerSecond ? String(format: "lines/s %.0f >= 100,000: met", rate) : String(format: "lines/s %.0f < 100,000: MISSED", rate))
            }
            for (name, run) in [("import", row.importRun), ("faithful", row.faithfulRun)] {
                verdicts.append(name + (run.peakRSSMB < targetPeakRSSMB ? String(format: " peak RSS %.1f MB < 256: met", run.peakRSSMB)
                                                                        : String(format: " peak RSS %.1f MB >= 256: MISSED", run.peakRSSMB)))
            }
            verdicts.append(row.badMedian < targetBadLineSeconds ? String(format: "bad line 1 %.3f s < 1 s: met", row.badMedian)
                                                                 : String(format: "bad line 1 %.3f s >= 1 s: MISSED", row.badMedian))
            print("targets at \(row.events): " + verdicts.joined(separator: "; "))
        }
    }

    // MARK: - Setup (cached)

    struct Setup {
        var export: URL
        var badFile: URL
        var admins: URL
        var events: Int
        var head: String
        var cached: Bool
        var doctored: String
        var json: [String: Any]
    }

    /// The export of about N simulated events, its admins, and the doctored copy; built when missing.
    static func prepare(directory: URL, mentorships: Int, months: Int, fresh: Bool, ledger: URL, log: (String) -> Void) throws -> Setup {
        let fm = FileManager.default
        let export = directory.appendingPathComponent("export.ndjson")
        let admins = directory.appendingPathComponent("admins.json")
        let summary = directory.appendingPathComponent("simulate.txt")
        let setupFile = directory.appendingPathComponent("setup.json")
        let badFile = directory.appendingPathComponent("bad-line-1.ndjson")
        let complete = directory.appendingPathComponent("complete")
        var cached = !fresh && fm.fileExists(atPath: complete.path)
        var setupJSON: [String: Any] = [:]
        if cached, let data = fm.contents(atPath: setupFile.path),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            setupJSON = object
        } else {
            cached = false
        }
        if !cached {
            try? fm.removeItem(at: directory)
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            let source = directory.appendingPathComponent("source")
            let simulateArguments = ["simulate", source.path, "--mentorships", "\(mentorships)", "--months", "\(months)", "--seed", "1", "--admins-file", admins.path]
            log("simulating \(mentorships) mentorships × \(months) months into \(source.path) …")
            let simulate = try ChildRun.spawn(ledger, simulateArguments, scratch: directory)
            guard simulate.exitStatus == 0 else { throw Mismatch(description: "simulate exited \(simulate.exitStatus): \(simulate.stderrTail)") }
            try Data(simulate.stdoutTail.utf8).write(to: summary)
            log(String(format: "simulate: %.1f s", simulate.wallSeconds))
            let exportArguments = ["export", source.path, "-o", export.path]
            let exported = try ChildRun.spawn(ledger, exportArguments, scratch: directory)
            guard exported.exitStatus == 0 else { throw Mismatch(description: "export exited \(exported.exitStatus): \(exported.stderrTail)") }
            log(String(format: "export: %.1f s, peak RSS %.1f MB", exported.wallSeconds, exported.peakRSSMB))
            try fm.removeItem(at: source)
            let doctored = try doctorFirstLine(export, into: badFile)
            setupJSON = [
                "simulate": ["command": (["ledger"] + simulateArguments).joined(separator: " "), "wall_s": round1(simulate.wallSeconds),
                             "output": simulate.stdoutTail.trimmingCharacters(in: .whitespacesAndNewlines)],
                "export": ["command": (["ledger"] + exportArguments).joined(separator: " "), "wall_s": round1(exported.wallSeconds),
                           "peak_rss_mb": round1(exported.peakRSSMB)],
                "doctored": doctored,
            ]
            try JSONSerialization.data(withJSONObject: setupJSON, options: [.prettyPrinted, .sortedKeys]).write(to: setupFile)
            try Data().write(to: complete)
        } else {
            log("using the cached export in \(directory.path)")
        }
        // "simulated M mentorships over K months: E events; head P HASH"
        let text = (try? String(contentsOf: summary, encoding: .utf8)) ?? ""
        guard let eventsRange = text.range(of: #"(\d+) events; head \d+ ([0-9a-f]{64})"#, options: .regularExpression) else {
            throw Mismatch(description: "cannot read the event count and head in \(summary.path): \(text)")
        }
        let parts = text[eventsRange].split(separator: " ")
        guard let events = Int(parts[0]), parts.count == 5 else { throw Mismatch(description: "cannot read \(text[eventsRange])") }
        var json = setupJSON
        json["cached"] = cached
        return Setup(export: export, badFile: badFile, admins: admins, events: events, head: String(parts[4]), cached: cached,
                     doctored: setupJSON["doctored"] as? String ?? "", json: json)
    }

    /// Copies `export` to `target` with one digit of line 1's `data` changed (a number member when
    /// there is one), `canonical` and every other byte untouched; says what was changed.
    static func doctorFirstLine(_ export: URL, into target: URL) throws -> String {
        let input = try FileHandle(forReadingFrom: export)
        defer { try? input.close() }
        guard var head = try input.read(upToCount: 1 << 20), let newline = head.firstIndex(of: UInt8(ascii: "\n")) else {
            throw Mismatch(description: "\(export.path) has no first line within 1 MiB")
        }
        let line = Array(head[head.startIndex..<newline])
        let dataKey = Array(#""data":{"#.utf8), endKey = Array(#","previousHash""#.utf8)
        guard let start = line.firstRange(of: dataKey)?.upperBound, let end = line[start...].firstRange(of: endKey)?.lowerBound else {
            throw Mismatch(description: "line 1 of \(export.path) has no data object before previousHash")
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        // A number member ("key":123) first, else any digit inside data (a UUID or a time).
        let numberAt = (start..<end).first { line[$0 - 1] == UInt8(ascii: ":") && isDigit(line[$0]) }
        guard let index = numberAt ?? (start..<end).first(where: { isDigit(line[$0]) }) else {
            throw Mismatch(description: "line 1's data of \(export.path) holds no digit to change")
        }
        let old = line[index]
        let new = old == UInt8(ascii: "9") ? UInt8(ascii: "0") : old + 1
        // The member changed, for the report: from the key's opening quote to the digit.
        let keyStart = line[start..<index].lastIndex(of: UInt8(ascii: "{")).map { max($0 + 1, start) } ?? start
        let commaStart = line[keyStart..<index].lastIndex(of: UInt8(ascii: ",")).map { $0 + 1 } ?? keyStart
        var after = Array(line[commaStart...index])
        after[after.count - 1] = new
        let before = String(decoding: line[commaStart...index], as: UTF8.self)
        head[head.startIndex + index] = new

        guard FileManager.default.createFile(atPath: target.path, contents: nil) else { throw Mismatch(description: "cannot create \(target.path)") }
        let output = try FileHandle(forWritingTo: target)
        defer { try? output.close() }
        try output.write(contentsOf: head)
        while let chunk = try input.read(upToCount: 8 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
        return "line 1, data: \(before)… became \(String(decoding: after, as: UTF8.self))…; canonical unchanged"
    }

    // MARK: - Measurements

    /// Reads the whole file with read(2) into one 1 MiB buffer; the bytes read.
    static func sequentialRead(_ file: URL) throws -> Int {
        let fd = open(file.path, O_RDONLY)
        guard fd >= 0 else { throw Mismatch(description: "cannot open \(file.path): errno \(errno)") }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = read(fd, buffer, size)
            if n < 0 { if errno == EINTR { continue }; throw Mismatch(description: "read failed: errno \(errno)") }
            if n == 0 { break }
            total += n
        }
        return total
    }

    static func fileSize(_ file: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    static func which(_ name: String) -> URL? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }
    static func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}

/// One finished child process: its wall time, exit status, resource use and output.
struct ChildRun {
    var executable: String
    var arguments: [String]
    var wallSeconds: Double
    /// The exit code, or 128 + the signal that ended it.
    var exitStatus: Int32
    /// The child's own peak resident set, from wait4's ru_maxrss (KiB).
    var maxRSSKB: Int
    var userSeconds: Double
    var systemSeconds: Double
    /// The highest RssAnon and RssFile sampled in /proc/PID/status (KiB; 0 when not sampled).
    var peakAnonKB: Int
    var peakFileKB: Int
    var stdoutTail: String
    var stderrTail: String

    var peakRSSMB: Double { Double(maxRSSKB) / 1024 }
    var peakAnonMB: Double { Double(peakAnonKB) / 1024 }
    var peakFileMB: Double { Double(peakFileKB) / 1024 }
    var cpuSeconds: Double { userSeconds + systemSeconds }

    func json(lines: Double, command: [String]) -> [String: Any] {
        [
            "command": (["ledger"] + command).joined(separator: " "),
            "wall_s": ImportBench.round3(wallSeconds),
            "lines_per_s": (lines / wallSeconds).rounded(),
            "peak_rss_mb": ImportBench.round1(peakRSSMB),
            "peak_anon_mb": ImportBench.round1(peakAnonMB),
            "peak_file_mb": ImportBench.round1(peakFileMB),
            "user_s": ImportBench.round3(userSeconds),
            "system_s": ImportBench.round3(systemSeconds),
            "exit_status": exitStatus,
            "output": stdoutTail.trimmingCharacters(in: .whitespacesAndNewlines),
        ]
    }

    /// Runs `executable arguments` with standard input from /dev/null and its output in files
    /// under `scratch`, waits for it with wait4 and returns what it did.
    static func spawn(_ executable: URL, _ arguments: [String], scratch: URL, sample: Bool = true) throws -> ChildRun {
        let out = scratch.appendingPathComponent(".child-stdout"), err = scratch.appendingPathComponent(".child-stderr")
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Mismatch(description: "posix_spawn \(executable.path) failed: \(spawned)") }
        let sampler = sample ? ChildSampler(pid: pid) : nil
        sampler?.start()
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Mismatch(description: "wait4 failed: errno \(errno)") }
        }
        let elapsed = ContinuousClock.now - start
        let peaks: (anonymous: Int, file: Int) = sampler?.stop() ?? (anonymous: 0, file: 0)
        let signal = status & 0x7f
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        func tail(_ file: URL) -> String {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            return text.count > 4000 ? String(text.suffix(4000)) : text
        }
        return ChildRun(
            executable: executable.path, arguments: arguments,
            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            exitStatus: signal == 0 ? (status >> 8) & 0xff : 128 + signal,
            maxRSSKB: usage.ru_maxrss, userSeconds: seconds(usage.ru_utime), systemSeconds: seconds(usage.ru_stime),
            peakAnonKB: peaks.anonymous, peakFileKB: peaks.file, stdoutTail: tail(out), stderrTail: tail(err))
    }
}

/// Samples a child's /proc/PID/status every 5 ms for the peaks of RssAnon and RssFile, which the
/// kernel does not keep (it keeps only VmHWM, the peak of their sum, which wait4 reports).
final class ChildSampler: Sendable {
    private let path: String
    private let peaks = Mutex((anonymous: 0, file: 0))
    private let running = Atomic(true)
    private let finished = DispatchSemaphore(value: 0)

    init(pid: pid_t) { path = "/proc/\(pid)/status" }

    func start() {
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                sampleOnce()
                usleep(5_000)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops sampling (after the child is reaped); the peaks in KiB.
    func stop() -> (anonymous: Int, file: Int) {
        running.store(false, ordering: .relaxed)
        finished.wait()
        return peaks.withLock { $0 }
    }

    private func sampleOnce() {
        // A raw read(2): no Foundation allocation of a String per sample beyond the parse.
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
        guard n > 0 else { return }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
        var anonymous = 0, file = 0
        for line in text.split(separator: "\n") {
            if line.hasPrefix("RssAnon:") { anonymous = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0 }
            if line.hasPrefix("RssFile:") { file = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0 }
        }
        peaks.withLock { $0 = (max($0.anonymous, anonymous), max($0.file, file)) }
    }
}
