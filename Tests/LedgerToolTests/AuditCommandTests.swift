import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("ledger verify, export and backup")
struct AuditCommandTests {
    @Test("verify reports an intact ledger with exit status 0")
    func verifyIntact() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a")
        let count = try fixture.eventCount("a")
        let text = try fixture.succeed(["verify", fixture.path("a")])
        #expect(text.output.hasPrefix("intact: \(count) events, 30 streams, \(count) payloads decoded; head \(count) \(try fixture.headHash("a"))"))
        let json = try ToolFixture.object(try fixture.succeed(["verify", fixture.path("a"), "--format", "json"]).output)
        #expect(json["intact"] == .bool(true))
        #expect(json["fault"] == nil)
    }

    @Test("an export in either format lets Python's hashlib recompute the chain up to the ledger's head", arguments: ["ndjson", "csv"])
    func pythonRecomputesTheChain(_ format: String) throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a")
        let count = try fixture.eventCount("a")
        let head = try fixture.headHash("a")
        let export = fixture.path("a.\(format)")
        let written = try fixture.succeed(["export", fixture.path("a"), "--format", format, "--output", export])
        #expect(written.error.contains("exported \(count) events"))

        let script = try PythonScript.run([export, "--head", head])
        #expect(script.status == 0, "\(script.output)")
        #expect(script.output.contains("chain intact: \(count) events, positions 1-\(count), head \(head)"))

        // A wrong head is caught.
        let wrongHead = try PythonScript.run([export, "--head", String(repeating: "0", count: 64)])
        #expect(wrongHead.status == 1)
    }

    @Test("the Python script names the first line an export was altered at")
    func pythonCatchesAnAlteredExport() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a", mentorships: 10, months: 2)
        let export = fixture.path("a.ndjson")
        try fixture.succeed(["export", fixture.path("a"), "-o", export])
        var lines = ToolFixture.lines(try String(contentsOfFile: export, encoding: .utf8))
        let target = lines.count / 2
        // A shifted recorded-at: the readable field no longer matches the hashed envelope.
        var line = try ToolFixture.object(lines[target])
        guard case .string(let recordedAt)? = line["recordedAt"] else { throw ToolFixtureError("no recordedAt") }
        let shifted = try Timestamp(rfc3339: recordedAt).adding(seconds: -3600).rfc3339
        line = JSONObject(line.members.map { $0.key == "recordedAt" ? JSONMember(key: "recordedAt", value: .string(shifted)) : $0 })
        lines[target] = JSONValue.object(line).serialized
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: export))
        let script = try PythonScript.run([export])
        #expect(script.status == 1)
        #expect(script.output.contains("FAULT at line \(target + 1), position \(target + 1), field recordedAt: "), "\(script.output)")
    }

    @Test("export --from/--through writes a range whose first line chains to the position before it")
    func exportRange() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a", mentorships: 10, months: 2)
        let all = ToolFixture.lines(try fixture.succeed(["export", fixture.path("a")]).output)
        let part = ToolFixture.lines(try fixture.succeed(["export", fixture.path("a"), "--from", "11", "--through", "20"]).output)
        #expect(part == Array(all[10..<20]))
        let bad = try fixture.run(["export", fixture.path("a"), "--from", "5", "--through", "4"])
        #expect(bad.status == 64)
    }

    @Test("backup writes a compact copy with the same head, which verifies")
    func backup() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a")
        let outcome = try fixture.succeed(["backup", fixture.path("a"), fixture.path("copy")])
        let head = try fixture.headHash("a")
        #expect(outcome.output.contains("verified); head \(head)"))
        #expect(try fixture.headHash("copy") == head)
        #expect(try fixture.eventCount("copy") == (try fixture.eventCount("a")))
        #expect(try fixture.succeed(["verify", fixture.path("copy")]).output.hasPrefix("intact:"))
        let again = try fixture.run(["backup", fixture.path("a"), fixture.path("copy")])
        #expect(again.status == 1)
        #expect(again.error.contains("is not empty"))
    }

    @Test("a copy with one bit of a record changed fails verify with exit status 2, naming that position; so does its export in Python")
    func tamperedCopy() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a")
        let count = try fixture.eventCount("a")
        let position = count / 2
        // The canonical bytes of the record at `position`, from its export line.
        let line = try ToolFixture.object(try fixture.succeed(["export", fixture.path("a"), "--from", String(position), "--through", String(position)]).output)
        guard case .string(let canonicalHex)? = line["canonical"] else { throw ToolFixtureError("no canonical bytes") }
        let canonical = try #require(Self.bytes(hex: canonicalHex))

        try FileManager.default.createDirectory(at: fixture.directory.child("tampered"), withIntermediateDirectories: true)
        let dataFile = fixture.directory.child("tampered").appendingPathComponent("data.mdb")
        try FileManager.default.copyItem(at: fixture.directory.child("a").appendingPathComponent("data.mdb"), to: dataFile)
        var data = try Data(contentsOf: dataFile)
        let found = try #require(data.firstRange(of: Data(canonical)), "the record's bytes are in data.mdb")
        #expect(data[found.upperBound...].firstRange(of: Data(canonical)) == nil, "exactly once")
        // A bit of its occurred-at (byte 57 of the envelope): the chain no longer matches there.
        data[found.lowerBound + 57] ^= 0x01
        try data.write(to: dataFile)

        let verify = try fixture.run(["verify", fixture.path("tampered")])
        #expect(verify.status == 2, "\(verify.output)\(verify.error)")
        #expect(verify.output.hasPrefix("FAULT at position \(position): "), "\(verify.output)")
        #expect(verify.output.contains("\(position - 1) events before it are intact"))
        let json = try ToolFixture.object(try fixture.run(["verify", fixture.path("tampered"), "--format", "json"]).output)
        #expect(json["intact"] == .bool(false))
        guard case .object(let fault)? = json["fault"] else { throw ToolFixtureError("no fault") }
        #expect(fault["position"] == .number(JSONNumber(position)))

        let export = fixture.path("tampered.ndjson")
        let exported = try fixture.run(["export", fixture.path("tampered"), "-o", export])
        if exported.status == 0 {
            let script = try PythonScript.run([export])
            #expect(script.status == 1)
            #expect(script.output.contains("position \(position), field chainHash: "), "\(script.output)")
        } else {
            #expect(exported.error.contains("position \(position)"), "an export that cannot decode the record names it: \(exported.error)")
        }
    }

    @Test("a backup with a damaged leaf page of the log: verify exits 2 naming its first position, reads before it work, the rest fail naming it")
    func damagedLogPage() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a")
        try fixture.succeed(["backup", fixture.path("a"), fixture.path("copy")])
        let dataFile = fixture.directory.child("copy").appendingPathComponent("data.mdb")
        var bytes = [UInt8](try Data(contentsOf: dataFile))
        func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
        // Leaf pages whose first key is 8 bytes: the log's (and a few of the stream keys').
        var leaves: [(first: UInt64, page: Int)] = []
        for page in 2..<bytes.count / 4096 where u16(page * 4096 + 10) == 0x02 && u16(page * 4096 + 12) > 16 {
            let node = page * 4096 + u16(page * 4096 + 16)
            guard u16(node + 6) == 8 else { continue }
            leaves.append((bytes[(node + 8)..<(node + 16)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }, page))
        }
        leaves.sort { $0.first < $1.first }
        let (first, page) = leaves[leaves.count / 2]
        bytes[page * 4096 + 10] = 0x01 // a leaf flagged as a branch page: LMDB would assert
        try Data(bytes).write(to: dataFile)

        let verify = try fixture.run(["verify", fixture.path("copy")])
        #expect(verify.status == 2, "\(verify.output)\(verify.error)")
        #expect(verify.output.hasPrefix("FAULT at position \(first): "), "\(verify.output)")
        #expect(verify.output.contains("page \(page) of the log is damaged"))
        #expect(verify.output.contains("\(first - 1) events before it are intact"))

        let before = try fixture.run(["log", fixture.path("copy"), "--from", String(first - 2), "--limit", "2"])
        #expect(before.status == 0, "\(before.error)")
        #expect(before.output.contains("#\(first - 1) "))
        for command in [["export"], ["replay", "engagement"], ["log"]] {
            let outcome = try fixture.run([command[0], fixture.path("copy")] + command.dropFirst())
            #expect(outcome.status == 1, "\(command): \(outcome.output)")
            #expect(outcome.error.contains("from position \(first) on cannot be read"), "\(command): \(outcome.error)")
        }
        let append = try fixture.run(["append", fixture.path("copy"), #"{"type":"MentorshipPaused"}"#])
        #expect(append.status != 0)
    }

    @Test("verify, export and backup of a directory that is not a ledger get clear errors")
    func notALedger() throws {
        let fixture = try ToolFixture()
        for command in [["verify"], ["export"], ["stats"], ["log"], ["backup", "ignored"]] {
            let outcome = try fixture.run([command[0], fixture.path("missing")] + command.dropFirst())
            #expect(outcome.status == 1)
            #expect(outcome.error.contains("no ledger at '\(fixture.path("missing"))': the directory does not exist"), "\(command): \(outcome.error)")
        }
        try FileManager.default.createDirectory(at: fixture.directory.child("other"), withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: fixture.directory.child("other").appendingPathComponent("notes.txt"))
        let other = try fixture.run(["verify", fixture.path("other")])
        #expect(other.status == 1)
        #expect(other.error.contains("it holds no data.mdb"))
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

/// Runs `Scripts/verify_export.py` with the system's python3.
enum PythonScript {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", ReplayCommandTests.packageRoot.appendingPathComponent("Scripts/verify_export.py").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("ledger seal and verify --key-file")
struct SealCommandTests {
    @Test("seal with a generated key, verify against it; a rewritten copy with recomputed hashes fails with exit status 2")
    func sealAndCatchARewrite() throws {
        let fixture = try ToolFixture()
        let admins = try fixture.simulate("a", mentorships: 10, months: 2)
        let key = fixture.path("seal.key")
        let sealed = try fixture.succeed(["seal", fixture.path("a"), "--key-file", key, "--generate-key"])
        let count = try fixture.eventCount("a")
        #expect(sealed.output.hasPrefix("sealed position \(count) \(try fixture.headHash("a"))"))
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let again = try fixture.run(["seal", fixture.path("a"), "--key-file", key, "--generate-key"])
        #expect(again.status == 1, "an existing key file is never overwritten")

        let verified = try fixture.succeed(["verify", fixture.path("a"), "--key-file", key])
        #expect(verified.output.contains("sealed: 1 seals hold; the last covers positions 1-\(count)"))

        // The forger rewrites one session's minutes, rebuilds the log (every hash recomputed)
        // and copies the original's id and seals over.
        let export = fixture.path("a.ndjson")
        try fixture.succeed(["export", fixture.path("a"), "-o", export])
        var lines = ToolFixture.lines(try String(contentsOfFile: export, encoding: .utf8))
        let index = try #require(lines.firstIndex { $0.contains("\"type\":\"SessionHeld\"") && $0.contains("\"minutes\":") })
        lines[index] = lines[index].replacingOccurrences(of: #""minutes":(\d+)"#, with: "\"minutes\":1", options: .regularExpression)
        // An import checks every line against its canonical bytes, so the forger drops them and
        // imports the readable lines as commands: a new history with every hash recomputed.
        lines = lines.map { $0.replacingOccurrences(of: #","canonical":"[0-9a-f]*""#, with: "", options: .regularExpression) }
        let forgedFile = fixture.path("forged.ndjson")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: forgedFile))
        try fixture.succeed(["init", fixture.path("forged")])
        try fixture.succeed(["import", fixture.path("forged"), forgedFile, "--admins-file", admins])
        try Forgery.copyIdentityAndSeals(from: fixture.directory.child("a"), to: fixture.directory.child("forged"))

        #expect(try fixture.succeed(["verify", fixture.path("forged")]).output.hasPrefix("intact:"), "plain verify cannot tell")
        let caught = try fixture.run(["verify", fixture.path("forged"), "--key-file", key])
        #expect(caught.status == 2)
        #expect(caught.output.contains("SEAL FAULT at position \(count): the chain hash at position \(count) is "), "\(caught.output)")

        let unsealed = fixture.path("b")
        try fixture.simulate("b", mentorships: 5, months: 1)
        let none = try fixture.run(["verify", unsealed, "--key-file", key])
        #expect(none.status == 2)
        #expect(none.output.contains("SEAL FAULT: the ledger holds no seal"))
    }
}
