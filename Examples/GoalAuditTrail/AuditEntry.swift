import Accountability
import EventLedger
import Foundation

/// One event of a goal's history: where and when it was recorded, when it happened, who recorded
/// it in which role, and what it changed.
struct AuditEntry: Sendable {
    /// The position in the log.
    let position: UInt64
    /// When the ledger recorded it.
    let recordedAt: Timestamp
    /// When it happened.
    let occurredAt: Timestamp
    /// Who recorded it (the envelope's actor).
    let actor: UUID?
    /// The actor's role: mentor, mentee or admin.
    let role: String
    /// The event's type name.
    let eventType: String
    /// What it changed, in words.
    let change: String

    /// The table's header.
    static let header = [
        "position".leftPadded(to: 8), "recorded-at".padded(to: 16), "occurred-at".padded(to: 16),
        "actor (role)".padded(to: 19), "event".padded(to: 20), "what changed",
    ].joined(separator: "  ")

    /// One line of the table.
    var line: String {
        [
            String(position).leftPadded(to: 8), Format.time(recordedAt).padded(to: 16), Format.time(occurredAt).padded(to: 16),
            "\(actor.map(Format.short) ?? "-") (\(role))".padded(to: 19), eventType.padded(to: 20), change,
        ].joined(separator: "  ")
    }
}

/// How the audit prints ids, times and numbers.
enum Format {
    /// The first 8 hex digits of an id, then an ellipsis.
    static func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) + "…" }

    /// `2026-03-01 15:00` (UTC), from the timestamp's RFC 3339 text.
    static func time(_ time: Timestamp) -> String {
        String(time.description.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// `2026-03-01` (UTC).
    static func day(_ time: Timestamp) -> String { String(time.description.prefix(10)) }

    /// A whole number without decimals, anything else with up to 2.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

extension String {
    /// The string with spaces in front to make it `width` characters wide.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    /// The string with spaces after it to make it `width` characters wide.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
