import Accountability
import EventLedger
import Foundation
import PropertyBased
import FuzzSupport
import Testing

// Fuzzing of the 18 event codecs (through the public `AccountabilityEvent.decode(eventType:
// schemaVersion:payload:)`), of `JSONParser.parse` and of `InterchangeLine.command(from:)`
// (issue 7, "Reliability"): seeded random and mutated inputs. Nothing may crash or hang; errors
// are `EventPayloadError`, `JSONError` and `InterchangeError`; whatever decodes must re-encode to
// something that decodes to the same value.
//
// Environment:
// - `LEDGER_FUZZ_CASES`: cases per test (default 20,000; `make soak` runs 1,000,000).
// - `LEDGER_FUZZ_SEED`: the base seed, decimal or 0x-hex (default 0x5EED_F022_0000_0007). Every
//   failure names it and the case index; the same seed and count replay the same cases exactly.
// - `LEDGER_FUZZ_TRACE`: when set, prints every case index before it runs (to find a crashing
//   case: the last line printed).
//
// Each test ends by printing `fuzz <name>: <n> cases, 0 crashes, …, seed 0x…` for the soak log.

// The seeded generators, settings and run bookkeeping are in FuzzSupport.

// MARK: - Payloads

/// The payload `event` encodes to with its own codec.
private func encoded(_ event: AccountabilityEvent) throws -> [UInt8] {
    var writer = EventPayloadWriter()
    try event.event.encodePayload(into: &writer)
    return writer.bytes
}

/// The current schema version of a built-in type.
private func currentVersion(of eventType: String) -> UInt16? {
    AccountabilityEvent.allTypes.first { $0.eventType == eventType }?.schemaVersion
}

/// A real payload to mutate: its type, the schema version it was written with, its bytes.
private struct BasePayload: Sendable {
    let eventType: String
    let schemaVersion: UInt16
    let bytes: [UInt8]
}

/// Real payloads of every type: the valid catalogue events, 1,500 arbitrary ones from the
/// property-based generators (seeded from the fuzz seed), and SessionHeld v1 payloads (v2 without
/// the trailing goals).
private func basePayloads() throws -> [BasePayload] {
    var rng = Xoshiro(seed: (FuzzSettings.seed, 0xC0DE, 0xF022, 7))
    let events = ValidAccountabilityEvents.all + (0..<1_500).map { _ in AccountabilityGen.event.run(using: &rng) }
    var payloads: [BasePayload] = []
    for event in events {
        let bytes = try encoded(event)
        payloads.append(BasePayload(eventType: event.eventType, schemaVersion: type(of: event.event).schemaVersion, bytes: bytes))
        if case .sessionHeld(let held) = event {
            payloads.append(BasePayload(eventType: SessionHeld.eventType, schemaVersion: 1, bytes: Array(bytes.dropLast(4 + 16 * held.goals.count))))
        }
    }
    return payloads
}

/// Values that break length and count fields.
private let hugeCounts: [UInt32] = [.max, 0x8000_0000, 0x7FFF_FFFF, 0x0100_0000, 0x1000_0001, 0xFFFF, 0x1_0000]

private func storeLE32(_ value: UInt32, into bytes: inout [UInt8], at: Int) {
    for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
}

/// One mutation of a payload.
private func mutate(_ bytes: inout [UInt8], donors: [BasePayload], _ random: inout FuzzRandom) {
    switch random.below(11) {
    case 0: // flip 1 to 6 bits
        guard !bytes.isEmpty else { return }
        for _ in 0..<random.int(in: 1...6) { bytes[random.below(bytes.count)] ^= 1 << UInt8(random.below(8)) }
    case 1: // a byte to 0, 1, 2, 0x80, 0xFF or anything (Bools, presence bytes, enum codes)
        guard !bytes.isEmpty else { return }
        bytes[random.below(bytes.count)] = random.pick([0, 1, 2, 0x80, 0xFF, random.byte()])
    case 2: // a run to 0x00, 0xFF or random
        guard !bytes.isEmpty else { return }
        let start = random.below(bytes.count)
        let end = min(bytes.count, start + random.int(in: 1...16))
        let fill = random.below(3)
        for i in start..<end { bytes[i] = fill == 0 ? 0 : fill == 1 ? 0xFF : random.byte() }
    case 3, 4: // a 32-bit "length" or "count" anywhere to a huge or off-by-one value
        guard bytes.count >= 4 else { return }
        let at = random.below(bytes.count - 3)
        let left = UInt32(bytes.count - at - 4)
        storeLE32(random.pick(hugeCounts + [left &+ 1, left / 16 &+ 1, left, 0]), into: &bytes, at: at)
    case 5: // truncate
        bytes.removeSubrange(random.int(in: 0...bytes.count)...)
    case 6: // extend
        bytes += random.bytes(random.int(in: 1...24))
    case 7: // insert bytes
        bytes.insert(contentsOf: random.bytes(random.int(in: 1...8)), at: random.int(in: 0...bytes.count))
    case 8: // drop or duplicate a chunk
        guard !bytes.isEmpty else { return }
        let start = random.below(bytes.count)
        let end = min(bytes.count, start + random.int(in: 1...20))
        if random.chance(50) { bytes.removeSubrange(start..<end) } else { bytes.insert(contentsOf: Array(bytes[start..<end]), at: start) }
    case 9: // splice: this payload's head on another's tail
        let donor = random.pick(donors).bytes
        bytes = Array(bytes.prefix(random.int(in: 0...bytes.count))) + Array(donor.suffix(random.int(in: 0...donor.count)))
    default: // an invalid UTF-8 sequence in place
        guard !bytes.isEmpty else { return }
        let bad: [[UInt8]] = [[0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE2, 0x82]]
        let sequence = random.pick(bad)
        let at = random.below(bytes.count)
        for (i, byte) in sequence.enumerated() where at + i < bytes.count { bytes[at + i] = byte }
    }
}

/// The counts a codec fuzz run keeps.
private struct CodecTally {
    var decoded = 0
    var rejected = 0
    var notBuiltIn = 0
}

/// Decodes `bytes` as `eventType` at `schemaVersion` and checks the outcome: `nil` exactly for a
/// name that is not built in; an ``EventPayloadError`` (at offset 0) for a schema version the type
/// does not read; otherwise an event of that type or an ``EventPayloadError`` inside the payload.
/// A decoded event must re-encode at the current version to bytes that decode to the same event
/// and encode to the same bytes; at the current version those bytes are the input itself.
private func checkDecode(_ bytes: [UInt8], as eventType: String, schemaVersion: UInt16, tally: inout CodecTally) -> [String] {
    let current = currentVersion(of: eventType)
    let decoded: AccountabilityEvent?
    do {
        decoded = try bytes.withUnsafeBytes {
            try AccountabilityEvent.decode(eventType: eventType, schemaVersion: schemaVersion, payload: $0)
        }
    } catch let error as EventPayloadError {
        tally.rejected += 1
        var problems: [String] = []
        if current == nil { problems.append("\(eventType) is not built in but threw \(error)") }
        if error.offset < 0 || error.offset > bytes.count { problems.append("error offset \(error.offset) outside 0...\(bytes.count): \(error)") }
        if error.reason.isEmpty { problems.append("an error with no reason") }
        return problems
    } catch {
        return ["\(eventType) v\(schemaVersion) threw \(type(of: error)), not EventPayloadError: \(error)"]
    }
    guard let current else {
        tally.notBuiltIn += 1
        return decoded == nil ? [] : ["\(eventType) is not built in but decoded to \(String(describing: decoded))"]
    }
    guard let decoded else { return ["built-in \(eventType) decoded to nil"] }
    tally.decoded += 1
    var problems: [String] = []
    if schemaVersion == 0 || schemaVersion > current {
        problems.append("\(eventType) decoded at schema version \(schemaVersion), which it does not read (1 to \(current))")
    }
    if decoded.eventType != eventType { problems.append("\(eventType) decoded to a \(decoded.eventType)") }
    // Round trip at the current version.
    do {
        let again = try encoded(decoded)
        guard let back = try again.withUnsafeBytes({ try AccountabilityEvent.decode(eventType: eventType, schemaVersion: current, payload: $0) }) else {
            return problems + ["re-encoded \(eventType) decoded to nil"]
        }
        // NaN fields make an event unequal to itself; its bytes still must be a fixed point.
        if decoded == decoded, back != decoded { problems.append("re-encoded \(eventType) decoded to \(back), not \(decoded)") }
        if try encoded(back) != again { problems.append("\(eventType): encode(decode(encode(e))) differs from encode(e)") }
        if schemaVersion == current, again != bytes { problems.append("\(eventType) v\(current) is not canonical: \(bytes) re-encodes to \(again)") }
    } catch {
        problems.append("the round trip of a decoded \(eventType) threw: \(error) [\(decoded)]")
    }
    return problems
}

// MARK: - Interchange lines

/// The interchange line of `command` as compact JSON bytes.
private func lineBytes(_ command: MentorshipCommand) -> [UInt8] {
    JSONValue.object(InterchangeLine.object(for: command)).serializedBytes
}

/// Lines of a small simulated program (every type it produces) and of the valid catalogue events,
/// some with correlation and causation ids.
private func interchangeCommands() throws -> [MentorshipCommand] {
    var commands: [MentorshipCommand] = []
    let simulator = try ProgramSimulator(SimulationConfig(seed: 11, mentorships: 16, months: 3))
    try simulator.run { day in commands += day.commands }
    let mentorship = ValidAccountabilityEvents.mentorship
    for (index, event) in ValidAccountabilityEvents.all.enumerated() {
        var command = MentorshipCommand(event: event, mentorship: mentorship, by: ValidAccountabilityEvents.mentor,
                                        at: ValidAccountabilityEvents.day(Double(index)),
                                        id: AccountabilityGen.fixedUUID(UInt8(0x40 + index)))
        if index.isMultiple(of: 2) {
            command.correlationID = AccountabilityGen.fixedUUID(0x70)
            command.causationID = AccountabilityGen.fixedUUID(UInt8(0x71 + index))
        }
        commands.append(command)
    }
    return commands
}

/// Number literals and strings that interchange fields must reject or read exactly.
private let oddNumbers = ["0", "-0", "1", "-1", "720", "721", "65535", "65536", "4294967296", "9223372036854775807",
    "9223372036854775808", "-9223372036854775809", "1e999", "-1e999", "1e-400", "0.5", "1.0", "2E+2",
    "123456789012345678901234567890", "5e-324", "1.7976931348623157e308", "3"]
private let oddStrings = ["", " ", "GoalSet", "mentor", "mentee", "admin", "system", "both", "completed", "inactive",
    "2026-03-01T15:00:00Z", "2026-03-01T15:00:00.1234567Z", "2026-02-30T00:00:00Z", "2026-03-01T23:59:60Z",
    "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2026-03-01T15:00:00+25:00", "2026-03-01 15:00:00Z",
    "6f1c0001-0000-4000-8000-000000000001", "6F1C0001-0000-4000-8000-000000000001", "6f1c0001000040008000000000000001",
    "{6f1c0001-0000-4000-8000-000000000001}", "mentorship/6f1c0001-0000-4000-8000-000000000001",
    "mentorship/", "\u{0}", "é\u{301}", "👨‍👩‍👧", String(repeating: "x", count: 5_000)]

/// JSON values that interchange fields must reject or read exactly.
private func oddValue(_ random: inout FuzzRandom) -> JSONValue {
    switch random.below(7) {
    case 0: return .null
    case 1: return .bool(random.chance(50))
    case 2, 3:
        if let number = JSONNumber(text: random.pick(oddNumbers)) { return .number(number) }
        return .number(JSONNumber(Int64(bitPattern: random.next())))
    case 4: return .string(random.pick(oddStrings))
    case 5: return .array((0..<random.int(in: 0...3)).map { _ in random.chance(50) ? .string(random.pick(oddStrings)) : .null })
    default: return .object(JSONObject([JSONMember(key: random.pick(["name", "x", ""]), value: .string(random.pick(oddStrings)))]))
    }
}

/// One structural mutation of a line's object (recursing into `data` and `data.metric`).
private func mutateTree(_ object: JSONObject, depth: Int = 0, _ random: inout FuzzRandom) -> JSONObject {
    var members = object.members
    let typeNames = AccountabilityEvent.typeNames
    switch random.below(depth == 0 ? 7 : 6) {
    case 0: // drop a member
        if !members.isEmpty { members.remove(at: random.below(members.count)) }
    case 1, 2: // a member's value to an odd one
        if !members.isEmpty {
            let at = random.below(members.count)
            members[at] = JSONMember(key: members[at].key, value: oddValue(&random))
        }
    case 3: // an unknown member, or a known key from another type
        let keys = ["unknown", "goals", "note", "until", "session", "rating", "position", "payload", "chainHash", "Type", ""]
        members.insert(JSONMember(key: random.pick(keys), value: oddValue(&random)), at: random.int(in: 0...members.count))
    case 4: // recurse into an object member (data, data.metric)
        let objects = members.indices.filter { if case .object = members[$0].value { return true } else { return false } }
        if let at = objects.isEmpty ? nil : random.pick(objects), case .object(let inner) = members[at].value {
            members[at] = JSONMember(key: members[at].key, value: .object(mutateTree(inner, depth: depth + 1, &random)))
        }
    case 5: // swap two members' values
        if members.count >= 2 {
            let a = random.below(members.count)
            let b = random.below(members.count)
            let value = members[a].value
            members[a] = JSONMember(key: members[a].key, value: members[b].value)
            members[b] = JSONMember(key: members[b].key, value: value)
        }
    default: // another type's name (its data then mostly does not fit)
        if let at = members.firstIndex(where: { $0.key == "type" }) {
            members[at] = JSONMember(key: "type", value: .string(random.chance(90) ? random.pick(typeNames) : random.pick(["", "goalset", "Sample"])))
        }
    }
    return JSONObject(members)
}

/// Bytes and tokens that JSON parsers get wrong.
private let jsonInterestingBytes = Array(#"{}[],:"\0123456789.eE+-tfnul "#.utf8) + [0x00, 0x09, 0x0A, 0x7F, 0x80, 0xC0, 0xC3, 0xED, 0xF4, 0xFF]
private let jsonTokens: [[UInt8]] = [#"\u0000"#, #"\uD800"#, #"\uDC00\uD800"#, #"\u00e9"#, "1e99999", "-", "00", "0.", ".5", "true", "nul",
    #""a":1,"a":2"#, String(repeating: "[", count: 70), String(repeating: "{\"a\":", count: 70),
    "\"mentorship/\"", "\u{FEFF}"].map { Array($0.utf8) }

/// One byte-level mutation of a JSON document.
private func mutateJSON(_ bytes: inout [UInt8], donors: [[UInt8]], _ random: inout FuzzRandom) {
    guard !bytes.isEmpty else {
        bytes = random.pick(jsonTokens)
        return
    }
    let position = random.below(bytes.count)
    switch random.below(9) {
    case 0: bytes[position] = random.pick(jsonInterestingBytes)
    case 1: bytes[position] = random.byte()
    case 2: bytes.insert(random.pick(jsonInterestingBytes), at: position)
    case 3: bytes.remove(at: position)
    case 4: bytes.removeSubrange(position...)
    case 5: bytes.insert(contentsOf: bytes[position...].prefix(random.int(in: 1...16)), at: position)
    case 6: bytes.insert(contentsOf: random.pick(jsonTokens), at: position)
    case 7: bytes[position] ^= 1 << UInt8(random.below(8))
    default: // splice with another line
        let donor = random.pick(donors)
        bytes = Array(bytes.prefix(position)) + Array(donor.suffix(random.int(in: 0...donor.count)))
    }
}

// MARK: - Tests

@Suite("Event codec and interchange fuzzing")
struct EventCodecFuzzTests {
    /// Random bytes decoded as every built-in type at schema versions 0 to 3 (cycling, so every
    /// pair gets the same share), plus names that are not built in. Two cases in five are sparse
    /// (mostly 0 and 1 bytes, so Bools, presence bytes and small counts decode and the codecs get
    /// further), half of those exactly as long as a real payload of the type; one in five is a real
    /// payload's prefix with a random tail.
    @Test func randomPayloadsDecodeOrFailCleanly() throws {
        let bases = try basePayloads()
        let basesByType = Dictionary(grouping: bases, by: \.eventType)
        let names = AccountabilityEvent.typeNames
        #expect(names.count == 18)
        var tally = CodecTally()
        var fuzz = FuzzRun("codec-random", salt: 0xC1)
        fuzz.run { random, index, run in
            let pair = index % (names.count * 4)
            var eventType = names[pair / 4]
            let schemaVersion = UInt16(pair % 4)
            if random.chance(2) { eventType = random.pick(["", "Sample", "goalset", "GoalSet ", "SessionHeld\u{0}", "NotAType"]) }
            let length = random.pick([random.int(in: 0...8), random.int(in: 0...64), random.int(in: 16...200)])
            var bytes: [UInt8]
            switch random.below(5) {
            case 0, 1: bytes = random.bytes(length)
            case 2, 3:
                // Sparse, and half the time exactly as long as a real payload of the type.
                let size = random.chance(50) ? random.pick(basesByType[eventType] ?? bases).bytes.count : length
                bytes = (0..<size).map { _ in
                    switch random.below(10) {
                    case 0...4: return 0
                    case 5, 6: return 1
                    default: return random.byte()
                    }
                }
            default:
                let base = random.pick(basesByType[eventType] ?? bases)
                bytes = Array(base.bytes.prefix(random.int(in: 0...base.bytes.count))) + random.bytes(random.int(in: 0...24))
            }
            for problem in checkDecode(bytes, as: eventType, schemaVersion: schemaVersion, tally: &tally) {
                run.fail(index, "\(problem) [\(eventType) v\(schemaVersion), \(bytes.count) bytes: \(bytes.prefix(64))]")
            }
        }
        fuzz.finish("\(tally.decoded) decoded, \(tally.rejected) rejected, \(tally.notBuiltIn) not built in")
    }

    /// Real payloads of every type (written at their schema version, and SessionHeld at v1 too),
    /// mutated one to four times, decoded at their own version most of the time, otherwise at any
    /// version 0 to 3 or as another type.
    @Test func mutatedPayloadsDecodeOrFailCleanlyAndRoundTrip() throws {
        let bases = try basePayloads()
        #expect(Set(bases.map(\.eventType)) == Set(AccountabilityEvent.typeNames))
        // Unmutated, every base decodes and round-trips.
        var baseTally = CodecTally()
        for base in bases {
            let problems = checkDecode(base.bytes, as: base.eventType, schemaVersion: base.schemaVersion, tally: &baseTally)
            #expect(problems.isEmpty, "\(problems)")
        }
        #expect(baseTally.decoded == bases.count)
        var tally = CodecTally()
        var fuzz = FuzzRun("codec-mutated", salt: 0xC2)
        fuzz.run { random, index, run in
            let base = random.pick(bases)
            var bytes = base.bytes
            for _ in 0..<random.int(in: 1...4) { mutate(&bytes, donors: bases, &random) }
            let schemaVersion = random.chance(70) ? base.schemaVersion : UInt16(random.below(4))
            let eventType = random.chance(90) ? base.eventType : random.pick(AccountabilityEvent.typeNames)
            for problem in checkDecode(bytes, as: eventType, schemaVersion: schemaVersion, tally: &tally) {
                run.fail(index, "\(problem) [\(eventType) v\(schemaVersion) from a \(base.eventType) v\(base.schemaVersion), \(bytes.count) bytes: \(bytes.prefix(64))]")
            }
        }
        #expect(tally.decoded > 0)
        fuzz.finish("\(tally.decoded) decoded, \(tally.rejected) rejected")
    }

    /// `JSONParser.parse` on mutated interchange lines: a value or a `JSONError` inside the input;
    /// a value serializes to a document that parses back to it.
    @Test func mutatedLinesParseOrFailCleanly() throws {
        let lines = try interchangeCommands().map(lineBytes)
        #expect(lines.count > 200)
        var parsed = 0
        var rejected = 0
        var fuzz = FuzzRun("json", salt: 0xC3)
        fuzz.run { random, index, run in
            var bytes = random.pick(lines)
            for _ in 0..<random.int(in: 1...4) { mutateJSON(&bytes, donors: lines, &random) }
            let problems: [String] = bytes.withUnsafeBytes { raw -> [String] in
                do throws(JSONError) {
                    let value = try JSONParser.parse(raw)
                    parsed += 1
                    let again = value.serializedBytes
                    do {
                        let back = try JSONParser.parse(again)
                        return back == value ? [] : ["a parsed value serialized to \(again.count) bytes that parse to another value"]
                    } catch {
                        return ["a parsed value serialized to bytes that do not parse: \(error)"]
                    }
                } catch {
                    // Typed throws: the error is a JSONError.
                    rejected += 1
                    return error.offset >= 0 && error.offset <= raw.count && !error.reason.isEmpty
                        ? [] : ["a JSONError at \(error.offset) of \(raw.count) bytes: \(error)"]
                }
            }
            for problem in problems { run.fail(index, "\(problem) [\(String(decoding: bytes.prefix(400), as: UTF8.self))]") }
        }
        fuzz.finish("\(parsed) parsed, \(rejected) rejected")
    }

    /// `InterchangeLine.command(from:)` on lines mutated structurally (members dropped, retyped,
    /// added, swapped; the type renamed) and byte by byte: a command or an `InterchangeError`
    /// naming a field; a command writes back to a line that reads back to the same command.
    @Test func mutatedLinesReadOrFailCleanlyAndRoundTrip() throws {
        let commands = try interchangeCommands()
        let lines = commands.map(lineBytes)
        // Unmutated, every line reads back to its command.
        for (command, line) in zip(commands, lines) {
            let back = line.withUnsafeBytes { raw -> MentorshipCommand? in try? InterchangeLine.command(from: raw) }
            #expect(back == command, "\(String(decoding: line, as: UTF8.self))")
        }
        let objects = commands.map { InterchangeLine.object(for: $0) }
        var read = 0
        var rejected = 0
        var fuzz = FuzzRun("interchange", salt: 0xC4)
        fuzz.run { random, index, run in
            var object = random.pick(objects)
            for _ in 0..<random.int(in: 1...3) where random.chance(85) { object = mutateTree(object, &random) }
            var bytes = JSONValue.object(object).serializedBytes
            if random.chance(30) {
                for _ in 0..<random.int(in: 1...2) { mutateJSON(&bytes, donors: lines, &random) }
            }
            let problems: [String] = bytes.withUnsafeBytes { raw -> [String] in
                do throws(InterchangeError) {
                    let command = try InterchangeLine.command(from: raw)
                    read += 1
                    let line = lineBytes(command)
                    do {
                        let back = try line.withUnsafeBytes { try InterchangeLine.command(from: $0) }
                        return back == command ? [] : ["the command read writes a line that reads back to \(back), not \(command)"]
                    } catch {
                        return ["the command read writes a line that does not read back: \(error) [\(String(decoding: line, as: UTF8.self))]"]
                    }
                } catch {
                    // Typed throws: the error is an InterchangeError. Its field is a path, empty
                    // only for a member whose key is itself empty ("" is not a field).
                    rejected += 1
                    return !error.reason.isEmpty && error.line == nil && (!error.field.isEmpty || error.reason.contains("is not a field"))
                        ? [] : ["an InterchangeError without a field or reason, or with a line: \(error)"]
                }
            }
            for problem in problems { run.fail(index, "\(problem) [\(String(decoding: bytes.prefix(600), as: UTF8.self))]") }
        }
        #expect(read > 0, "no mutated line was read: the mutations are too destructive")
        fuzz.finish("\(read) read, \(rejected) rejected")
    }
}
