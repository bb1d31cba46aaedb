import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Synchronization
import Testing
import FuzzSupport

// Issue 7, corruption: random bit flips, overwritten runs and truncations in copies of a real
// data file. Each damaged copy is inspected by a child process (`LedgerTestChild inspect`: a
// read-only open, `verify()`, a full replay, a digest of the data), so a crash inside LMDB is
// seen as the child dying by a signal instead of taking the test runner down.
//
// Every case must end in one of:
// - REPORTED: the open fails with an error, or `verify()` reports a fault (with its position
//   when the fault is tied to one record);
// - NO DATA: `verify()` finds the ledger intact, the replay and the data digest equal the
//   pristine copy's (the damaged bytes carry no data: free pages, the unused middle of a page).
//
// Failures: UNREPORTED (intact, but the data differ or a read fails without a position),
// VERIFY MISSED (intact, but a replay or a read fails naming a position: the damage is real and
// verify passed it),
// REPLAY DID NOT NOTICE (verify rejects the copy, but a replay returns without an error having
// stopped before the head: events silently skipped), CRASH (the child died by a signal), HANG
// (killed after the timeout), CHILD FAILED (no inspection line).
//
// Environment:
// - `LEDGER_CORRUPTION_CASES`: cases to run (default 60; `make soak` runs 1500);
// - `LEDGER_CORRUPTION_SEED`: the seed of the first case, decimal or 0x-hex (default: 0x7e57, so CI is reproducible; make soak passes a new one each run,
//   printed). Case seeds follow from it, and each failure prints its own: rerun one case with
//   `LEDGER_CORRUPTION_SEED=<case seed> LEDGER_CORRUPTION_CASES=1`;
// - `LEDGER_CORRUPTION_REPORT_ONLY=1`: print the statistics, do not fail;
// - `LEDGER_CORRUPTION_WORKERS`: children run at once (default: the processor count, at least 2);
// - `LEDGER_CORRUPTION_TIMEOUT`: seconds before a child is killed as a HANG (default 20);
// - `LEDGER_CORRUPTION_KEEP=<directory>`: keep the damaged ledger of a few failing cases of each
//   sort there (as `case-<seed>/data.mdb`, for a debugger);
// - `LEDGER_CORRUPTION_LOG=<file>`: write one line per case (outcome, kind, details) there.
@Suite("Corruption campaign")
struct CorruptionCampaignTests {
    @Test("damaged copies of a real data file are reported or carry no data; reading them never crashes, hangs or skips events")
    func campaign() throws {
        let config = CampaignConfig.fromEnvironment()
        let started = Date()
        let work = try TemporaryDirectory("corruption")
        let pristineDirectory = work.child("pristine")
        let built = try CampaignLedger.build(at: pristineDirectory)
        let pristineBytes = try [UInt8](Data(contentsOf: pristineDirectory.appendingPathComponent("data.mdb")))
        let map = try #require(CampaignPageMap(pristineBytes), "the pristine data file does not parse as LMDB")

        // The pristine copy, inspected exactly as the damaged ones are.
        let reference = try CampaignRunner.inspect(pristineBytes, in: work.child("reference"), timeout: config.timeout)
        guard case .exited(0) = reference.termination, let pristine = reference.inspection else {
            Issue.record("the child cannot inspect the pristine copy: \(reference.termination) \(reference.stdout) \(reference.stderr)")
            return
        }
        #expect(pristine.openError == nil && pristine.verifyIntact == true && pristine.replayError == nil && pristine.contentError == nil,
                "pristine copy: \(reference.stdout)")
        #expect(pristine.headPosition == UInt64(built.events), "pristine copy: \(reference.stdout)")
        #expect(pristine.replayEvents == UInt64(built.typedEvents), "pristine copy: \(reference.stdout)")
        #expect(pristine.contentEvents == UInt64(built.events) && pristine.contentDigest != nil, "pristine copy: \(reference.stdout)")
        #expect(map.count(of: { if case .branch = $0 { true } else { false } }) > 1, "the ledger should span several branch pages: \(map.summary)")
        #expect(map.count(of: { if case .overflow = $0 { true } else { false } }) > 0, "the ledger should have overflow pages: \(map.summary)")
        guard pristine.verifyIntact == true, pristine.contentDigest != nil else { return }

        let cases = CampaignCase.generate(count: config.cases, firstSeed: config.seed, map: map, fileSize: pristineBytes.count)
        let results = CampaignRunner.run(cases, pristine: pristineBytes, reference: pristine, in: work.child("cases"), config: config)
        let elapsed = Date().timeIntervalSince(started)

        let summary = CampaignSummary(results: results, reference: pristine, map: map, config: config, built: built, seconds: elapsed)
        print(summary.text)
        let failures = results.filter { $0.outcome.isFailure }
        if let log = config.logFile {
            let lines = results.map { "\($0.outcome.rawValue)\t\($0.corruption.kindName)\t\($0.line(map: map))" }
            try? Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: log))
        }
        if !failures.isEmpty, let keep = config.keepDirectory {
            // A few of each sort (outcome, kind of damage, page hit): data files are megabytes.
            var kept: [String: Int] = [:]
            for result in failures {
                let sort = "\(result.outcome) \(result.corruption.kindName) \(result.corruption.offsets.first.map(map.location) ?? "")"
                kept[sort, default: 0] += 1
                if kept[sort]! <= 3 { CampaignRunner.keep(result.corruption, pristine: pristineBytes, in: keep) }
            }
        }
        if config.reportOnly {
            if !failures.isEmpty { print("corruption campaign: \(failures.count) failing cases ignored (LEDGER_CORRUPTION_REPORT_ONLY=1)") }
            return
        }
        // Every failure fails the test: damage inside B-tree pages is found by the page check at
        // open (LMDBKit's PageCheck) before LMDB reads it, so a crash is no longer a known issue.
        for result in failures.prefix(20) {
            Issue.record("\(result.outcome.rawValue): \(result.line(map: map))")
        }
        #expect(failures.count == 0, "\(failures.count) of \(results.count) damaged copies failed (seed \(config.seedText)); see the summary above")
    }
}

// MARK: - Configuration

struct CampaignConfig: Sendable {
    var cases: Int
    var seed: UInt64
    var reportOnly: Bool
    var workers: Int
    var timeout: Double
    var keepDirectory: String?
    var logFile: String?

    var seedText: String { "0x" + String(seed, radix: 16) }

    static func fromEnvironment() -> CampaignConfig {
        let env = ProcessInfo.processInfo.environment
        let seed = env["LEDGER_CORRUPTION_SEED"].flatMap(parseUInt64) ?? 0x7E57
        return CampaignConfig(
            cases: env["LEDGER_CORRUPTION_CASES"].flatMap { Int($0) }.map { max(0, $0) } ?? 60,
            seed: seed,
            reportOnly: ["1", "true", "yes"].contains(env["LEDGER_CORRUPTION_REPORT_ONLY"]?.lowercased() ?? ""),
            workers: env["LEDGER_CORRUPTION_WORKERS"].flatMap { Int($0) }.map { max(1, $0) } ?? max(2, ProcessInfo.processInfo.activeProcessorCount),
            timeout: env["LEDGER_CORRUPTION_TIMEOUT"].flatMap { Double($0) } ?? 20,
            keepDirectory: env["LEDGER_CORRUPTION_KEEP"].flatMap { $0.isEmpty ? nil : $0 },
            logFile: env["LEDGER_CORRUPTION_LOG"].flatMap { $0.isEmpty ? nil : $0 })
    }

    static func parseUInt64(_ text: String) -> UInt64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("0x") { return UInt64(trimmed.dropFirst(2), radix: 16) }
        return UInt64(trimmed)
    }
}

// MARK: - The ledger

/// A real ledger: a few thousand events over a dozen streams, payloads from empty to 5 KB (the
/// large ones in overflow pages), all three sample types, some with actor, correlation and
/// causation ids. Built the same way every run (fixed ids, payloads and clock), so the data
/// file's layout, and therefore what a case seed damages, is the same every run; only the
/// ledger id differs.
enum CampaignLedger {
    struct Built {
        let events: Int
        /// Events SampleTally folds (Sample and AmountRecorded).
        let typedEvents: Int
        let appends: Int
    }

    static let eventCount = 4_000

    static func build(at directory: URL) throws -> Built {
        var rng = FuzzRandom(seed: 0x1ED6_E5C0_44A7_7EA1)
        let clock = ManualClock(Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000))
        var options = LedgerOptions()
        options.clock = clock
        options.durability = .noSync
        let ledger = try Ledger(directory: directory, registry: .samples(), options: options)
        defer { ledger.close() }
        let textSizes = [0, 0, 8, 8, 24, 40, 40, 80, 120, 200, 400, 700, 1_200, 2_600, 5_000]
        var total = 0, typed = 0, appends = 0
        var sequence: UInt64 = 0
        while total < eventCount {
            let count = min(Int.random(in: 1...12, using: &rng), eventCount - total)
            let stream = "program/\(Int.random(in: 0..<12, using: &rng))"
            var events: [ProposedEvent] = []
            for _ in 0..<count {
                let id = uuid(&rng)
                let actor = Int.random(in: 0..<10, using: &rng) < 3 ? uuid(&rng) : nil
                let correlation = Int.random(in: 0..<10, using: &rng) < 2 ? uuid(&rng) : nil
                let causation = correlation != nil && Bool.random(using: &rng) ? uuid(&rng) : nil
                let occurred = Int.random(in: 0..<4, using: &rng) == 0
                    ? clock.now().adding(seconds: -Double(Int.random(in: 1...86_400, using: &rng))) : nil
                let roll = Int.random(in: 0..<100, using: &rng)
                let event: ProposedEvent
                if roll < 75 {
                    sequence += 1
                    let size = textSizes.randomElement(using: &rng)! + Int.random(in: 0...16, using: &rng)
                    event = try ProposedEvent(SampleEvent(sequence: sequence, text: text(size, &rng)), id: id, occurredAt: occurred,
                                              actor: actor, correlationID: correlation, causationID: causation)
                    typed += 1
                } else if roll < 88 {
                    event = try ProposedEvent(AmountRecorded(amount: Int64.random(in: 0...1_000_000, using: &rng)), id: id, occurredAt: occurred,
                                              actor: actor, correlationID: correlation, causationID: causation)
                    typed += 1
                } else {
                    let note = text(Int.random(in: 0...300, using: &rng), &rng)
                    event = try ProposedEvent(NoteAdded(note: note, author: Bool.random(using: &rng) ? uuid(&rng) : nil), id: id,
                                              occurredAt: occurred, actor: actor, correlationID: correlation, causationID: causation)
                }
                events.append(event)
            }
            try ledger.append(events, to: stream)
            appends += 1
            total += count
            clock.advance(seconds: Double(Int.random(in: 1...900, using: &rng)))
        }
        return Built(events: total, typedEvents: typed, appends: appends)
    }

    private static func uuid(_ rng: inout FuzzRandom) -> UUID {
        let a = rng.next(), b = rng.next()
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { bytes in
            bytes.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
        }
        return UUID(uuid: raw)
    }

    private static func text(_ count: Int, _ rng: inout FuzzRandom) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        for _ in 0..<count { bytes.append(letters[Int(rng.next() % UInt64(letters.count))]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

// MARK: - The pristine file's pages

/// What each page of the pristine data file is, read straight from LMDB's on-disk format
/// (0.9.x, 64-bit): the two meta pages, then the B-trees of the current meta page (free list,
/// main database, each named database), pages only the previous meta page's trees use, pages
/// the free list lists, and pages nothing refers to. Used to say where a case hit, never to
/// decide its outcome.
struct CampaignPageMap: Sendable {
    enum Role: Hashable, Sendable, CustomStringConvertible {
        case meta(index: Int, current: Bool)
        case branch(String)
        case leaf(String)
        case overflow(String)
        /// Used only by the trees of the older meta page.
        case previousSnapshot(String)
        /// Listed in the free list.
        case free
        /// Referred to by nothing.
        case unreferenced

        var description: String {
            switch self {
            case .meta(let index, let current): "meta\(index)(\(current ? "current" : "previous"))"
            case .branch(let db): "branch(\(db))"
            case .leaf(let db): "leaf(\(db))"
            case .overflow(let db): "overflow(\(db))"
            case .previousSnapshot(let what): "previous-snapshot \(what)"
            case .free: "free"
            case .unreferenced: "unreferenced"
            }
        }
    }

    let pageSize: Int
    let pageCount: Int
    let currentMeta: Int
    let lastPage: Int
    let roles: [Role]
    /// For the pages of an overflow chain: the chain's first page and where its data ends (file offset).
    let overflowChains: [Int: (head: Int, dataEnd: Int)]
    let bytes: [UInt8]

    private static let pageHeaderSize = 16
    private static let invalidPage = UInt64.max

    init?(_ bytes: [UInt8]) {
        self.bytes = bytes
        func u16(_ o: Int) -> Int { o + 2 <= bytes.count ? Int(bytes[o]) | Int(bytes[o + 1]) << 8 : 0 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        func u64(_ o: Int) -> UInt64 { o + 8 <= bytes.count ? UInt64(u32(o)) | UInt64(u32(o + 4)) << 32 : 0 }
        guard bytes.count >= 2 * 4096, u32(16) == 0xBEEF_C0DE else { return nil }
        let pageSize = u32(40) // mm_dbs[FREE_DBI].md_pad holds the page size
        guard pageSize >= 512, pageSize <= 65_536, bytes.count >= 2 * pageSize, u32(pageSize + 16) == 0xBEEF_C0DE else { return nil }
        self.pageSize = pageSize
        let pageCount = (bytes.count + pageSize - 1) / pageSize
        self.pageCount = pageCount
        let txn0 = u64(16 + 128), txn1 = u64(pageSize + 16 + 128)
        // mdb_env_pick_meta: the meta page with the larger transaction id; meta 0 on a tie.
        let current = txn1 > txn0 ? 1 : 0
        currentMeta = current
        lastPage = Int(u64(current * pageSize + 16 + 120))

        var chains: [Int: (head: Int, dataEnd: Int)] = [:]
        var freePages = Set<Int>()

        /// Walks one tree (the free list or a named database), giving every page it uses a role.
        func walk(_ root: UInt64, _ db: String, into roles: inout [Int: Role], recordFree: Bool) {
            var pending: [UInt64] = root == Self.invalidPage ? [] : [root]
            while let pgno = pending.popLast() {
                guard pgno < UInt64(pageCount), roles[Int(pgno)] == nil else { continue }
                let page = Int(pgno)
                let base = page * pageSize
                let flags = u16(base + 10)
                let lower = u16(base + 12)
                let keys = max(0, (lower - Self.pageHeaderSize) / 2)
                if flags & 0x01 != 0 { // P_BRANCH
                    roles[page] = .branch(db)
                    for index in 0..<keys {
                        let node = base + u16(base + Self.pageHeaderSize + 2 * index)
                        pending.append(UInt64(u16(node)) | UInt64(u16(node + 2)) << 16 | UInt64(u16(node + 4)) << 32)
                    }
                } else if flags & 0x02 != 0 { // P_LEAF
                    roles[page] = .leaf(db)
                    for index in 0..<keys {
                        let node = base + u16(base + Self.pageHeaderSize + 2 * index)
                        let dataSize = u16(node) | u16(node + 2) << 16
                        let nodeFlags = u16(node + 4)
                        let keySize = u16(node + 6)
                        let data = node + 8 + keySize
                        var dataStart = data
                        if nodeFlags & 0x01 != 0 { // F_BIGDATA: the value is in an overflow chain
                            let first = Int(u64(data))
                            guard first < pageCount else { continue }
                            let pages = max(1, u32(first * pageSize + 12))
                            for p in first..<min(pageCount, first + pages) where roles[p] == nil {
                                roles[p] = .overflow(db)
                                chains[p] = (first, first * pageSize + Self.pageHeaderSize + dataSize)
                            }
                            dataStart = first * pageSize + Self.pageHeaderSize
                        }
                        if recordFree, dataSize >= 8 { // a free-list entry: count, then page numbers
                            let count = Int(u64(dataStart))
                            for i in 0..<min(count, (dataSize - 8) / 8) { freePages.insert(Int(u64(dataStart + 8 + 8 * i))) }
                        }
                    }
                } else if flags & 0x04 != 0 { // P_OVERFLOW reached directly: should not happen
                    roles[page] = .overflow(db)
                }
            }
        }

        /// Walks the main database's tree, then the tree of each named database it records.
        func walkMain(_ root: UInt64, into roles: inout [Int: Role]) {
            var pending: [UInt64] = root == Self.invalidPage ? [] : [root]
            var named: [(String, UInt64)] = []
            while let pgno = pending.popLast() {
                guard pgno < UInt64(pageCount), roles[Int(pgno)] == nil else { continue }
                let page = Int(pgno), base = page * pageSize
                let flags = u16(base + 10), keys = max(0, (u16(base + 12) - Self.pageHeaderSize) / 2)
                if flags & 0x01 != 0 {
                    roles[page] = .branch("main")
                    for index in 0..<keys {
                        let node = base + u16(base + Self.pageHeaderSize + 2 * index)
                        pending.append(UInt64(u16(node)) | UInt64(u16(node + 2)) << 16 | UInt64(u16(node + 4)) << 32)
                    }
                } else if flags & 0x02 != 0 {
                    roles[page] = .leaf("main")
                    for index in 0..<keys {
                        let node = base + u16(base + Self.pageHeaderSize + 2 * index)
                        let keySize = u16(node + 6)
                        if u16(node + 4) & 0x02 != 0 {
                            let name = String(decoding: bytes[(node + 8)..<min(bytes.count, node + 8 + keySize)], as: UTF8.self)
                            named.append((name, u64(node + 8 + keySize + 40)))
                        }
                    }
                }
            }
            for (name, root) in named { walk(root, name, into: &roles, recordFree: false) }
        }

        func trees(ofMeta index: Int, recordFree: Bool) -> [Int: Role] {
            var roles: [Int: Role] = [:]
            let meta = index * pageSize + 16
            walk(u64(meta + 24 + 40), "free-list", into: &roles, recordFree: recordFree)
            walkMain(u64(meta + 72 + 40), into: &roles)
            return roles
        }

        let live = trees(ofMeta: current, recordFree: true)
        let previous = trees(ofMeta: 1 - current, recordFree: false)
        var roles = [Role](repeating: .unreferenced, count: pageCount)
        roles[0] = .meta(index: 0, current: current == 0)
        roles[1] = .meta(index: 1, current: current == 1)
        for page in 2..<pageCount {
            if let role = live[page] { roles[page] = role }
            else if freePages.contains(page) { roles[page] = .free }
            else if let role = previous[page] { roles[page] = .previousSnapshot(role.description) }
        }
        self.roles = roles
        self.overflowChains = chains
    }

    func count(of predicate: (Role) -> Bool) -> Int { roles.count(where: predicate) }

    var summary: String {
        var counts: [String: Int] = [:]
        for role in roles {
            let key: String
            switch role {
            case .meta: key = "meta"
            case .branch: key = "branch"
            case .leaf: key = "leaf"
            case .overflow: key = "overflow"
            case .previousSnapshot: key = "previous-snapshot"
            case .free: key = "free"
            case .unreferenced: key = "unreferenced"
            }
            counts[key, default: 0] += 1
        }
        let order = ["meta", "branch", "leaf", "overflow", "free", "previous-snapshot", "unreferenced"]
        return "\(pageCount) pages of \(pageSize) bytes, last page \(lastPage), current meta \(currentMeta): "
            + order.compactMap { name in counts[name].map { "\($0) \(name)" } }.joined(separator: ", ")
    }

    var branchPages: [Int] { roles.indices.filter { if case .branch = roles[$0] { true } else { false } } }
    var structurePages: [Int] {
        roles.indices.filter {
            switch roles[$0] {
            case .branch(let db), .leaf(let db): db == "main" || db == "free-list"
            default: false
            }
        }
    }

    private func u16(_ o: Int) -> Int { o + 2 <= bytes.count ? Int(bytes[o]) | Int(bytes[o + 1]) << 8 : 0 }

    /// The page's role and the part of the page an offset falls in, coarse (for tallies):
    /// `leaf(events)/node-data`, `meta0(current)/txnid`, `free`, …
    func location(_ offset: Int) -> String {
        let page = offset / pageSize
        guard page < pageCount else { return "past the end" }
        let role = roles[page]
        let inPage = offset - page * pageSize
        switch role {
        case .meta:
            return "\(role)/\(Self.metaField(inPage))"
        case .branch, .leaf:
            return "\(role)/\(nodeRegion(page: page, inPage: inPage).region)"
        case .overflow:
            guard let chain = overflowChains[page] else { return "\(role)" }
            if page == chain.head, inPage < Self.pageHeaderSize { return "\(role)/header" }
            return "\(role)/\(offset < chain.dataEnd ? "data" : "tail")"
        default:
            return "\(role)"
        }
    }

    /// `location` with the page number and the node, for a failure's line.
    func detail(_ offset: Int) -> String {
        let page = offset / pageSize
        guard page < pageCount else { return "offset \(offset) past the end" }
        let inPage = offset - page * pageSize
        var text = "offset \(offset) = page \(page) +\(inPage): \(location(offset))"
        switch roles[page] {
        case .branch, .leaf:
            let region = nodeRegion(page: page, inPage: inPage)
            if let node = region.node { text += " (node \(node) of \(region.nodes))" }
        default: break
        }
        return text
    }

    private static func metaField(_ inPage: Int) -> String {
        switch inPage {
        case 0..<8: "header-pgno"
        case 8..<10: "header-pad"
        case 10..<12: "header-flags"
        case 12..<16: "header-bounds"
        case 16..<20: "magic"
        case 20..<24: "version"
        case 24..<32: "address"
        case 32..<40: "mapsize"
        case 40..<88: "free-db:" + dbField(inPage - 40)
        case 88..<136: "main-db:" + dbField(inPage - 88)
        case 136..<144: "last-pgno"
        case 144..<152: "txnid"
        default: "unused"
        }
    }

    private static func dbField(_ o: Int) -> String {
        switch o {
        case 0..<4: "pad/psize"
        case 4..<6: "flags"
        case 6..<8: "depth"
        case 8..<16: "branch-pages"
        case 16..<24: "leaf-pages"
        case 24..<32: "overflow-pages"
        case 32..<40: "entries"
        default: "root"
        }
    }

    /// Where in a branch or leaf page an offset falls: header, pointer array, free gap, a node's
    /// header, key or data, or the padding after a node.
    private func nodeRegion(page: Int, inPage: Int) -> (region: String, node: Int?, nodes: Int) {
        let base = page * pageSize
        let lower = u16(base + 12), upper = u16(base + 14)
        let nodes = max(0, (lower - Self.pageHeaderSize) / 2)
        if inPage < 10 { return ("header", nil, nodes) }
        if inPage < 12 { return ("header-flags", nil, nodes) }
        if inPage < 16 { return ("header-bounds", nil, nodes) }
        if inPage < lower { return ("pointers", nil, nodes) }
        if inPage < upper { return ("gap", nil, nodes) }
        let isLeaf: Bool = if case .leaf = roles[page] { true } else { false }
        for index in 0..<nodes {
            let start = u16(base + Self.pageHeaderSize + 2 * index)
            let keySize = u16(base + start + 6)
            let dataSize = u16(base + start) | u16(base + start + 2) << 16
            let bigData = u16(base + start + 4) & 0x01 != 0
            let stored = isLeaf ? (bigData ? 8 : dataSize) : 0
            let end = start + 8 + keySize + stored
            let padded = end + (end & 1)
            guard inPage >= start, inPage < padded else { continue }
            if inPage < start + 8 { return ("node-header", index, nodes) }
            if inPage < start + 8 + keySize { return ("node-key", index, nodes) }
            if inPage < end { return (bigData ? "node-overflow-pgno" : "node-data", index, nodes) }
            return ("node-padding", index, nodes)
        }
        return ("unused", nil, nodes)
    }
}

// MARK: - Cases

/// One way of damaging the file, from one seed.
struct CampaignCase: Sendable {
    enum Damage: Sendable {
        /// Bits flipped: (offset, bit).
        case bitFlips([(offset: Int, bit: Int)])
        /// A run of bytes overwritten (with zeros or random bytes).
        case overwrite(offset: Int, bytes: [UInt8], zeros: Bool)
        /// The file cut at a length.
        case truncate(length: Int, pageBoundary: Bool)
    }

    let index: Int
    let seed: UInt64
    /// How the offsets were chosen: uniformly over the file, or within a kind of page.
    let target: String
    let damage: Damage

    /// The seeds run in a chain from the first, so that a failing case's seed reruns it as case 0.
    static func generate(count: Int, firstSeed: UInt64, map: CampaignPageMap, fileSize: Int) -> [CampaignCase] {
        var seeds = [UInt64]()
        var seed = firstSeed
        for _ in 0..<count {
            seeds.append(seed)
            var chain = FuzzRandom(seed: seed)
            seed = chain.next()
        }
        return seeds.enumerated().map { make(index: $0.offset, seed: $0.element, map: map, fileSize: fileSize) }
    }

    static func make(index: Int, seed: UInt64, map: CampaignPageMap, fileSize: Int) -> CampaignCase {
        var rng = FuzzRandom(seed: seed)
        // Uniform offsets mostly; some aimed at the pages whose damage matters most to LMDB
        // itself (branch pages, meta pages, the main database and the free list), which a
        // uniform offset rarely hits in a file of a thousand pages.
        let targetRoll = Int.random(in: 0..<100, using: &rng)
        let branches = map.branchPages, structure = map.structurePages
        let target: String
        let pages: [Int]?
        switch targetRoll {
        case 0..<70: (target, pages) = ("uniform", nil)
        case 70..<82 where !branches.isEmpty: (target, pages) = ("branch page", branches)
        case 82..<90: (target, pages) = ("meta page", [0, 1])
        case 90..<100 where !structure.isEmpty: (target, pages) = ("main/free-list page", structure)
        default: (target, pages) = ("uniform", nil)
        }
        func offset(_ rng: inout FuzzRandom) -> Int {
            if let pages {
                let page = pages.randomElement(using: &rng)!
                // Meta pages: mostly the 152 bytes that hold the meta fields.
                let span = page < 2 && Int.random(in: 0..<4, using: &rng) != 0 ? 152 : map.pageSize
                return min(fileSize - 1, page * map.pageSize + Int.random(in: 0..<span, using: &rng))
            }
            return Int.random(in: 0..<fileSize, using: &rng)
        }
        let kindRoll = Int.random(in: 0..<100, using: &rng)
        let damage: Damage
        switch kindRoll {
        case 0..<55:
            let flips = Int.random(in: 1...8, using: &rng)
            damage = .bitFlips((0..<flips).map { _ in (offset(&rng), Int.random(in: 0..<8, using: &rng)) })
        case 55..<80:
            let start = offset(&rng)
            let length = min(fileSize - start, [1, 2, 4, 8, 16, 64, 256, 1_024].randomElement(using: &rng)! + Int.random(in: 0..<4, using: &rng))
            let zeros = Bool.random(using: &rng)
            damage = .overwrite(offset: start, bytes: (0..<length).map { _ in zeros ? 0 : UInt8.random(in: 0 ... .max, using: &rng) }, zeros: zeros)
        case 80..<90:
            damage = .truncate(length: Int.random(in: 0..<fileSize, using: &rng), pageBoundary: false)
        default:
            damage = .truncate(length: Int.random(in: 0..<(fileSize / map.pageSize), using: &rng) * map.pageSize, pageBoundary: true)
        }
        return CampaignCase(index: index, seed: seed, target: target, damage: damage)
    }

    func apply(to bytes: inout [UInt8]) {
        switch damage {
        case .bitFlips(let flips):
            for flip in flips { bytes[flip.offset] ^= UInt8(1) << UInt8(flip.bit) }
        case .overwrite(let offset, let run, _):
            bytes.replaceSubrange(offset..<(offset + run.count), with: run)
        case .truncate(let length, _):
            bytes.removeSubrange(length...)
        }
    }

    /// The offsets damaged (for a run: its first and last byte; for a truncation: the first byte cut).
    var offsets: [Int] {
        switch damage {
        case .bitFlips(let flips): flips.map(\.offset)
        case .overwrite(let offset, let run, _): run.count > 1 ? [offset, offset + run.count - 1] : [offset]
        case .truncate(let length, _): [length]
        }
    }

    var kindName: String {
        switch damage {
        case .bitFlips: "bit flips"
        case .overwrite(_, _, let zeros): zeros ? "zeroed run" : "random run"
        case .truncate(_, let boundary): boundary ? "truncation at a page boundary" : "truncation"
        }
    }

    func describe(_ map: CampaignPageMap) -> String {
        switch damage {
        case .bitFlips(let flips):
            "\(flips.count) bit flip(s) [\(target)]: " + flips.map { "bit \($0.bit) at \(map.detail($0.offset))" }.joined(separator: "; ")
        case .overwrite(let offset, let run, let zeros):
            "\(run.count) bytes \(zeros ? "zeroed" : "overwritten with random bytes") [\(target)] from \(map.detail(offset))"
                + (run.count > 1 ? " to \(map.detail(offset + run.count - 1))" : "")
        case .truncate(let length, let boundary):
            "truncated to \(length) bytes\(boundary ? " (a page boundary)" : "") of \(map.bytes.count), cutting from \(map.detail(length))"
                + ", \(Self.livePagesCut(length, map)) live pages cut"
        }
    }

    private static func livePagesCut(_ length: Int, _ map: CampaignPageMap) -> Int {
        let first = length / map.pageSize
        return (first..<map.pageCount).count(where: {
            switch map.roles[$0] {
            case .branch, .leaf, .overflow, .meta: true
            default: false
            }
        })
    }
}

// MARK: - Running the child

/// What `LedgerTestChild inspect` printed: the type both sides share.
typealias CampaignInspection = LedgerInspection

struct CampaignChildRun: Sendable {
    enum Termination: Sendable, CustomStringConvertible {
        case exited(Int32)
        case signal(Int32)
        case hang(seconds: Double)

        var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signal(let signal): "killed by signal \(signal) (\(Self.signalName(signal)))"
            case .hang(let seconds): "still running after \(Int(seconds)) s, killed"
            }
        }

        static func signalName(_ signal: Int32) -> String {
            switch signal {
            case SIGSEGV: "SIGSEGV"
            case SIGBUS: "SIGBUS"
            case SIGILL: "SIGILL"
            case SIGTRAP: "SIGTRAP"
            case SIGABRT: "SIGABRT"
            case SIGFPE: "SIGFPE"
            case SIGKILL: "SIGKILL"
            default: "signal \(signal)"
            }
        }
    }

    let termination: Termination
    let stdout: String
    let stderr: String
    let seconds: Double
    var inspection: CampaignInspection? {
        guard let line = stdout.split(separator: "\n").last else { return nil }
        return try? JSONDecoder().decode(CampaignInspection.self, from: Data(line.utf8))
    }
}

enum CampaignRunner {
    /// Writes `bytes` as the data file of a new ledger directory inside `caseDirectory` (no lock
    /// file), inspects it with the child, and removes it.
    static func inspect(_ bytes: [UInt8], in caseDirectory: URL, timeout: Double) throws -> CampaignChildRun {
        let files = FileManager.default
        let ledger = caseDirectory.appendingPathComponent("ledger", isDirectory: true)
        try files.createDirectory(at: ledger, withIntermediateDirectories: true)
        defer { try? files.removeItem(at: caseDirectory) }
        try Data(bytes).write(to: ledger.appendingPathComponent("data.mdb"))
        return try runChild(["inspect", ledger.path], errorFile: caseDirectory.appendingPathComponent("stderr.txt"), timeout: timeout)
    }

    static func runChild(_ arguments: [String], errorFile: URL, timeout: Double) throws -> CampaignChildRun {
        let process = Process()
        process.executableURL = try ChildProcess.executableURL()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // A crash is reported by the signal; the runtime's backtracer would only slow it down.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        // Read the output while the child runs, so it can never block on a full pipe.
        let collected = Mutex(Data())
        let readerDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            collected.withLock { $0 = data }
            readerDone.signal()
        }
        var hung = false
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                hung = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        // The pipe ends when the child has exited (grandchildren are not started).
        if readerDone.wait(timeout: .now() + 10) == .timedOut { try? output.fileHandleForReading.close() }
        try? errorHandle.close()
        let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        let termination: CampaignChildRun.Termination
        if hung {
            termination = .hang(seconds: seconds)
        } else if process.terminationReason == .uncaughtSignal {
            termination = .signal(process.terminationStatus)
        } else {
            termination = .exited(process.terminationStatus)
        }
        return CampaignChildRun(termination: termination, stdout: String(decoding: collected.withLock { $0 }, as: UTF8.self),
                        stderr: String(stderr.suffix(2_000)), seconds: seconds)
    }

    /// Runs every case on `config.workers` threads, each case on its own damaged copy.
    static func run(_ cases: [CampaignCase], pristine: [UInt8], reference: CampaignInspection, in directory: URL, config: CampaignConfig) -> [CampaignCaseResult] {
        let next = Mutex(0)
        let results = Mutex([CampaignCaseResult?](repeating: nil, count: cases.count))
        DispatchQueue.concurrentPerform(iterations: max(1, min(config.workers, cases.count))) { _ in
            while true {
                let index: Int = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard index < cases.count else { return }
                let corruption = cases[index]
                var bytes = pristine
                corruption.apply(to: &bytes)
                let result: CampaignCaseResult
                do {
                    let run = try inspect(bytes, in: directory.appendingPathComponent("case-\(index)"), timeout: config.timeout)
                    result = CampaignCaseResult(corruption: corruption, run: run, outcome: CampaignOutcome.classify(run, reference: reference), setupError: nil)
                } catch {
                    result = CampaignCaseResult(corruption: corruption, run: nil, outcome: .childFailed, setupError: "\(error)")
                }
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// Keeps a failing case's damaged ledger in `directory/case-<seed>/`, for a debugger.
    static func keep(_ corruption: CampaignCase, pristine: [UInt8], in directory: String) {
        var bytes = pristine
        corruption.apply(to: &bytes)
        let target = URL(fileURLWithPath: directory).appendingPathComponent("case-0x\(String(corruption.seed, radix: 16))", isDirectory: true)
        try? FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try? Data(bytes).write(to: target.appendingPathComponent("data.mdb"))
    }
}

// MARK: - Outcomes

enum CampaignOutcome: String, CaseIterable, Sendable {
    case reportedByOpen = "REPORTED: the open failed"
    case reportedByVerify = "REPORTED: verify names a fault and its position"
    case reportedByVerifyWithoutPosition = "REPORTED: verify names a fault without a position"
    case reportedByVerifyError = "REPORTED: verify threw an error"
    case verifyMissedReadFails = "VERIFY MISSED: intact, but a read fails at a position"
    case noData = "NO DATA"
    case unreported = "UNREPORTED"
    case replayDidNotNotice = "REPLAY DID NOT NOTICE"
    case crash = "CRASH"
    case hang = "HANG"
    case childFailed = "CHILD FAILED"

    var isFailure: Bool {
        switch self {
        case .unreported, .verifyMissedReadFails, .replayDidNotNotice, .crash, .hang, .childFailed: true
        default: false
        }
    }

    static func classify(_ run: CampaignChildRun, reference: CampaignInspection) -> CampaignOutcome {
        switch run.termination {
        case .hang: return .hang
        case .signal: return .crash
        case .exited(let status) where status != 0: return .childFailed
        case .exited: break
        }
        guard let found = run.inspection else { return .childFailed }
        if found.openError != nil { return .reportedByOpen }
        let replaySame = found.replayError == nil && found.replayEvents == reference.replayEvents
            && found.replayPosition == reference.replayPosition && found.replayState == reference.replayState
        if found.verifyIntact == true {
            if replaySame, found.contentError == nil, found.contentDigest == reference.contentDigest,
               found.headPosition == reference.headPosition, found.headHash == reference.headHash {
                return .noData
            }
            // The damage is real (a read fails, naming the position), but verify passed it.
            if found.replayErrorPosition != nil || found.contentErrorPosition != nil { return .verifyMissedReadFails }
            return .unreported
        }
        // Verify rejected the copy (or threw). A replay may fail (it should name the position),
        // or succeed on records the damage did not touch; it must not end early without an error.
        if found.replayError == nil, (found.replayPosition ?? 0) < (reference.replayPosition ?? 0) {
            return .replayDidNotNotice
        }
        if found.verifyError != nil { return .reportedByVerifyError }
        return found.faultPosition != nil ? .reportedByVerify : .reportedByVerifyWithoutPosition
    }
}

struct CampaignCaseResult: Sendable {
    let corruption: CampaignCase
    let run: CampaignChildRun?
    let outcome: CampaignOutcome
    let setupError: String?

    /// Everything needed to understand and rerun the case.
    func line(map: CampaignPageMap) -> String {
        var text = "case \(corruption.index) seed 0x\(String(corruption.seed, radix: 16)): \(corruption.describe(map))"
        if let setupError { return text + " — setup failed: \(setupError)" }
        guard let run else { return text }
        text += " — child \(run.termination) after \(String(format: "%.2f", run.seconds)) s"
        if let found = run.inspection, let openError = found.openError {
            text += "; open failed (\(found.openErrorCode ?? "?")): \(openError)"
        } else if let found = run.inspection {
            text += "; verify: " + (found.verifyError ?? (found.verifyIntact == true ? "intact" : "\(found.faultKind ?? "?") at \(found.faultPosition.map(String.init) ?? "no position"): \(found.faultMessage ?? "")"))
            text += "; head \(found.headPosition.map(String.init) ?? "?")"
            text += "; replay: " + (found.replayError.map { "error at \(found.replayErrorPosition.map(String.init) ?? "no position"): \($0)" }
                ?? "\(found.replayEvents ?? 0) events through \(found.replayPosition ?? 0), \(found.replayState ?? "")")
            text += "; content: " + (found.contentError ?? "\(found.contentEvents ?? 0) events, digest \(found.contentDigest?.prefix(16) ?? "?")")
        } else if !run.stdout.isEmpty {
            text += "; output: \(run.stdout.prefix(500))"
        }
        if !run.stderr.isEmpty { text += "; stderr: \(run.stderr.suffix(500))" }
        text += " — rerun: LEDGER_CORRUPTION_SEED=0x\(String(corruption.seed, radix: 16)) LEDGER_CORRUPTION_CASES=1"
        return text
    }
}

// MARK: - Summary

struct CampaignSummary {
    let text: String

    init(results: [CampaignCaseResult], reference: CampaignInspection, map: CampaignPageMap, config: CampaignConfig, built: CampaignLedger.Built, seconds: Double) {
        var lines: [String] = []
        lines.append("corruption campaign: \(results.count) cases, first seed \(config.seedText), \(config.workers) workers, \(String(format: "%.1f", seconds)) s")
        lines.append("  ledger: \(built.events) events in \(built.appends) appends; data.mdb \(map.bytes.count) bytes, \(map.summary)")
        var counts: [CampaignOutcome: Int] = [:]
        for result in results { counts[result.outcome, default: 0] += 1 }
        for outcome in CampaignOutcome.allCases {
            lines.append("  \(outcome.rawValue.padding(toLength: 56, withPad: " ", startingAt: 0)) \(counts[outcome, default: 0])\(outcome.isFailure ? "  (failure)" : "")")
        }
        // Notes on the reported cases.
        var faultKinds: [String: Int] = [:]
        var openCodes: [String: Int] = [:]
        var replayWithoutPosition = 0, replayWithPosition = 0, replayUnaffected = 0, replayReadAltered = 0
        var replayAgainstFault: [String: Int] = [:]
        for result in results {
            guard let found = result.run?.inspection else { continue }
            if found.openError != nil {
                openCodes[found.openErrorCode ?? "?", default: 0] += 1
                continue
            }
            guard found.verifyIntact != true else { continue }
            if found.verifyIntact == false { faultKinds[found.faultKind ?? "?", default: 0] += 1 }
            if found.replayError != nil {
                if let at = found.replayErrorPosition {
                    replayWithPosition += 1
                    if let fault = found.faultPosition {
                        replayAgainstFault[at == fault ? "at the fault" : at > fault ? "after the fault" : "before the fault", default: 0] += 1
                    }
                } else {
                    replayWithoutPosition += 1
                }
            } else if result.outcome != .replayDidNotNotice {
                // Verify rejected the copy; the replay either read what the pristine copy holds
                // (the damage is in an index, a chain hash, a type the projection skips) or
                // values that differ (verify names them: replay does not check the chain).
                if found.replayState == reference.replayState { replayUnaffected += 1 } else { replayReadAltered += 1 }
            }
        }
        lines.append("  open errors by code: " + Self.list(openCodes))
        lines.append("  verify faults by kind: " + Self.list(faultKinds))
        lines.append("  replay on copies verify rejected: error with a position \(replayWithPosition), error without a position \(replayWithoutPosition), "
            + "no error and the pristine state \(replayUnaffected), no error and another state \(replayReadAltered)")
        lines.append("  where such a replay failed, against the position verify named: " + Self.list(replayAgainstFault))
        var crashes: [String: Int] = [:]
        for result in results {
            guard let run = result.run, case .signal(let signal) = run.termination else { continue }
            let assertion = run.stderr.range(of: "Assertion '[^']*' failed in [a-z_]+", options: .regularExpression).map { " " + run.stderr[$0] } ?? ""
            crashes["\(CampaignChildRun.Termination.signalName(signal))\(assertion) (\(result.corruption.kindName))", default: 0] += 1
        }
        lines.append("  crashes by signal and kind of damage: " + Self.list(crashes))
        // Where the damage was, by outcome.
        var byLocation: [String: [CampaignOutcome: Int]] = [:]
        for result in results {
            for location in Set(result.corruption.offsets.map { Self.coarse(map.location($0), result.corruption) }) {
                byLocation[location, default: [:]][result.outcome, default: 0] += 1
            }
        }
        lines.append("  by location hit (a case with several offsets counts once per location):")
        for location in byLocation.keys.sorted() {
            let row = byLocation[location]!
            let cells = CampaignOutcome.allCases.compactMap { outcome in row[outcome].map { "\(Self.short(outcome))=\($0)" } }
            lines.append("    \(location.padding(toLength: 44, withPad: " ", startingAt: 0)) " + cells.joined(separator: " "))
        }
        var kinds: [String: [CampaignOutcome: Int]] = [:]
        for result in results { kinds[result.corruption.kindName, default: [:]][result.outcome, default: 0] += 1 }
        lines.append("  by kind of damage:")
        for kind in kinds.keys.sorted() {
            let row = kinds[kind]!
            lines.append("    \(kind.padding(toLength: 44, withPad: " ", startingAt: 0)) "
                + CampaignOutcome.allCases.compactMap { outcome in row[outcome].map { "\(Self.short(outcome))=\($0)" } }.joined(separator: " "))
        }
        let failures = results.filter { $0.outcome.isFailure }
        if !failures.isEmpty {
            lines.append("  failing cases (\(failures.count)):")
            for outcome in CampaignOutcome.allCases where outcome.isFailure {
                let these = failures.filter { $0.outcome == outcome }
                for result in these.prefix(60) { lines.append("    \(outcome.rawValue): \(result.line(map: map))") }
                if these.count > 60 { lines.append("    … and \(these.count - 60) more \(outcome.rawValue)") }
            }
        }
        text = lines.joined(separator: "\n")
    }

    private static func list(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private static func coarse(_ location: String, _ corruption: CampaignCase) -> String {
        if case .truncate = corruption.damage { return "truncation in " + location }
        return location
    }

    private static func short(_ outcome: CampaignOutcome) -> String {
        switch outcome {
        case .reportedByOpen: "open"
        case .reportedByVerify: "verify"
        case .reportedByVerifyWithoutPosition: "verify-nopos"
        case .reportedByVerifyError: "verify-threw"
        case .verifyMissedReadFails: "VERIFY-MISSED"
        case .noData: "no-data"
        case .unreported: "UNREPORTED"
        case .replayDidNotNotice: "REPLAY-MISSED"
        case .crash: "CRASH"
        case .hang: "HANG"
        case .childFailed: "CHILD-FAILED"
        }
    }
}
