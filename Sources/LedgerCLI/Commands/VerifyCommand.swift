import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger verify DIR`: rechecks the chain, every record and every index.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain, decode every record and check every index against the log.",
        discussion: """
        Exit status 0 when intact; 2 with the first faulty position named when not. With --head, \
        the head's chain hash must also be the one given (the head of the source a copy was made \
        from, or one noted down earlier): a different one is a HEAD FAULT, exit status 2.
        """
    )

    @OptionGroup var location: LedgerLocation

    @Option(help: "text or json.")
    var format: EventFormat = .text

    @Option(name: [.customLong("key"), .customLong("key-file")], help: ArgumentHelp("Also check every seal `ledger seal` made with this key (a rewritten log fails).", valueName: "key file"), completion: .file())
    var keyFile: String?

    @Option(help: ArgumentHelp("The chain hash the head must have (64 hexadecimal digits), such as a source ledger's head.", valueName: "hash"))
    var head: String?

    func run() throws {
        let expectedHead = try head.map { text -> ChainHash in
            guard let hash = ChainHash(hex: text) else { throw ValidationError("--head must be 64 hexadecimal digits, not '\(text)'") }
            return hash
        }
        let ledger = try location.open(readOnly: true)
        defer { ledger.close() }
        // The head only sizes the progress bar; when damage keeps it from being read, verify
        // itself reports that damage with its position.
        let total: UInt64
        do { total = try ledger.head().position } catch { total = 0 }
        let bar = ProgressBar("verifying", total: total)
        let sealReport = try keyFile.map { try ledger.verifySeals(with: try SealKey(contentsOf: URL(fileURLWithPath: $0))) { bar.update($0) } }
        let report = try sealReport?.verification ?? ledger.verify { bar.update($0) }
        bar.finish(report.eventsChecked)
        let headMatches = expectedHead.map { $0 == report.head.hash }
        switch format {
        case .text:
            if let fault = report.firstFault {
                let place = fault.position.map { "position \($0)" } ?? "no single position"
                try StandardStreams.print("FAULT at \(place): \(fault.kind.rawValue): \(fault.message)")
                try StandardStreams.print("\(report.eventsChecked) events before it are intact")
            } else {
                try StandardStreams.print("intact: \(report.eventsChecked) events, \(report.streamCount) streams, \(report.payloadsDecoded) payloads decoded; head \(report.head.position) \(report.head.hash.hex)")
            }
            if headMatches == false, let expectedHead {
                try StandardStreams.print("HEAD FAULT: the head at position \(report.head.position) is \(report.head.hash.hex), not the expected \(expectedHead.hex)")
            } else if headMatches == true {
                try StandardStreams.print("head matches: position \(report.head.position) is \(report.head.hash.hex)")
            }
            if let sealReport {
                if let bad = sealReport.firstBadSeal {
                    try StandardStreams.print("SEAL FAULT at position \(bad.seal.position): \(bad.reason)")
                } else if let last = sealReport.lastSealed {
                    let after = report.head.position - last.position
                    try StandardStreams.print("sealed: \(sealReport.validSeals.count) seals hold; the last covers positions 1-\(last.position) (sealed at \(last.sealedAt.rfc3339)); \(after) events after it are not sealed yet")
                } else {
                    try StandardStreams.print("SEAL FAULT: the ledger holds no seal (run `ledger seal`), so nothing can be proven against the key")
                }
            }
        case .json:
            var members = [
                JSONMember(key: "intact", value: .bool(report.isIntact)),
                JSONMember(key: "eventsChecked", value: .number(Int64(report.eventsChecked))),
                JSONMember(key: "streams", value: .number(report.streamCount)),
                JSONMember(key: "payloadsDecoded", value: .number(Int64(report.payloadsDecoded))),
                JSONMember(key: "payloadsNotDecoded", value: .number(Int64(report.payloadsNotDecoded))),
                JSONMember(key: "headPosition", value: .number(Int64(report.head.position))),
                JSONMember(key: "headHash", value: .string(report.head.hash.hex)),
            ]
            if let headMatches {
                members.append(JSONMember(key: "headMatches", value: .bool(headMatches)))
            }
            if let sealReport {
                members.append(JSONMember(key: "sealsValid", value: .number(sealReport.validSeals.count)))
                members.append(JSONMember(key: "lastSealedPosition", value: sealReport.lastSealed.map { .number(Int64($0.position)) } ?? .null))
                members.append(JSONMember(key: "sealFault", value: sealReport.firstBadSeal.map { bad in
                    .object(JSONObject([JSONMember(key: "position", value: .number(Int64(bad.seal.position))), JSONMember(key: "message", value: .string(bad.reason))]))
                } ?? (sealReport.validSeals.isEmpty ? .object(JSONObject([JSONMember(key: "position", value: .null), JSONMember(key: "message", value: .string("the ledger holds no seal"))])) : .null)))
            }
            if let fault = report.firstFault {
                members.append(JSONMember(key: "fault", value: .object(JSONObject([
                    JSONMember(key: "kind", value: .string(fault.kind.rawValue)),
                    JSONMember(key: "position", value: fault.position.map { .number(Int64($0)) } ?? .null),
                    JSONMember(key: "message", value: .string(fault.message)),
                ]))))
            }
            try StandardStreams.print(JSONValue.object(JSONObject(members)).serialized)
        }
        if !report.isIntact || sealReport.map({ !$0.isIntact }) == true || headMatches == false { throw ExitCode(2) }
    }
}
