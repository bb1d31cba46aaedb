import Accountability
import ArgumentParser
import EventLedger
import Foundation

/// `ledger stats DIR`: counts by type, positions, streams, size on disk and the head hash.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show counts by type, positions, streams, size on disk and the head hash."
    )

    @OptionGroup var location: LedgerLocation

    @Option(help: "text or json.")
    var format: EventFormat = .text

    func run() throws {
        let ledger = try location.open(readOnly: true)
        defer { ledger.close() }
        let storage = try ledger.storageInfo()
        let projections = try ledger.storedProjections()
        let fileBytes = Self.fileSize(location.url.appendingPathComponent("data.mdb"))
        let stats = try ledger.read { reader in
            let head = try reader.head()
            let bar = ProgressBar("counting", total: head.position)
            var byTag: [UInt32: Int] = [:]
            var names: [UInt32: String] = [:]
            var firstRecordedAt: Timestamp?
            try reader.forEach(.all()) { record in
                if names[record.typeTag] == nil { names[record.typeTag] = try reader.eventType(of: record) }
                byTag[record.typeTag, default: 0] += 1
                if firstRecordedAt == nil { firstRecordedAt = record.recordedAt }
                if record.position % 65_536 == 0 { bar.update(record.position) }
            }
            bar.finish(head.position)
            var byType: [(String, Int)] = []
            for (tag, count) in byTag {
                byType.append((names[tag] ?? "type tag \(tag)", count))
            }
            byType.sort { $0.0 < $1.0 }
            return (head: head, byType: byType, streams: try reader.streams().count, first: firstRecordedAt)
        }
        switch format {
        case .text:
            var text = "ledger      \(ledger.ledgerID.uuidString.lowercased())  (created \(ledger.createdAt.rfc3339))\n"
            text += "events      \(stats.head.position)  (positions \(stats.head.position == 0 ? "none" : "1-\(stats.head.position)"))\n"
            text += "streams     \(stats.streams)\n"
            if let first = stats.first, let last = stats.head.recordedAt {
                text += "recorded    \(first.rfc3339) to \(last.rfc3339)\n"
            }
            text += "head hash   \(stats.head.hash.hex)\n"
            text += "on disk     \(fileBytes) bytes in data.mdb (\(storage.usedBytes) in use)\n"
            text += "by type\n"
            for (name, count) in stats.byType {
                text += "  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(count)\n"
            }
            text += "read models\(projections.isEmpty ? "  none stored (ledger replay stores the built-in ones)" : "")\n"
            for stored in projections {
                let kind = stored.kind == .rows ? "rows" : "whole state"
                var line = "  \(stored.name.padding(toLength: 22, withPad: " ", startingAt: 0)) at \(stored.position), lag \(stored.lag) (\(kind), version \(stored.version))"
                if let rebuild = stored.rebuildPosition { line += ", rebuild at \(rebuild)" }
                text += line + "\n"
            }
            try StandardStreams.print(String(text.dropLast()))
        case .json:
            var object: [JSONMember] = [
                JSONMember(key: "ledger", value: .string(ledger.ledgerID.uuidString.lowercased())),
                JSONMember(key: "createdAt", value: .string(ledger.createdAt.rfc3339)),
                JSONMember(key: "events", value: .number(Int64(stats.head.position))),
                JSONMember(key: "firstPosition", value: stats.head.position == 0 ? .null : .number(Int64(1))),
                JSONMember(key: "lastPosition", value: .number(Int64(stats.head.position))),
                JSONMember(key: "streams", value: .number(stats.streams)),
                JSONMember(key: "firstRecordedAt", value: stats.first.map { .string($0.rfc3339) } ?? .null),
                JSONMember(key: "lastRecordedAt", value: stats.head.recordedAt.map { .string($0.rfc3339) } ?? .null),
                JSONMember(key: "headHash", value: .string(stats.head.hash.hex)),
                JSONMember(key: "fileBytes", value: .number(Int64(fileBytes))),
                JSONMember(key: "usedBytes", value: .number(storage.usedBytes)),
            ]
            let models: [JSONValue] = projections.map { stored in
                .object(JSONObject([
                    JSONMember(key: "name", value: .string(stored.name)),
                    JSONMember(key: "kind", value: .string(stored.kind == .rows ? "rows" : "wholeState")),
                    JSONMember(key: "version", value: .number(Int64(stored.version))),
                    JSONMember(key: "position", value: .number(Int64(stored.position))),
                    JSONMember(key: "lag", value: .number(Int64(stored.lag))),
                    JSONMember(key: "rebuildPosition", value: stored.rebuildPosition.map { .number(Int64($0)) } ?? .null),
                ]))
            }
            object.append(JSONMember(key: "readModels", value: .array(models)))
            object.append(JSONMember(key: "byType", value: .object(JSONObject(stats.byType.map { JSONMember(key: $0.0, value: .number($0.1)) }))))
            try StandardStreams.print(JSONValue.object(JSONObject(object)).serialized)
        }
    }

    static func fileSize(_ url: URL) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }
}
