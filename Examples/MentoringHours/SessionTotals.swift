import EventLedger

/// Held sessions and their minutes: one mentor's in one month.
struct SessionTotals: Sendable, Equatable {
    /// Sessions held.
    private(set) var sessions: UInt64 = 0
    /// Their minutes.
    private(set) var minutes: UInt64 = 0

    /// No sessions.
    init() {}

    /// Hours (minutes / 60).
    var hours: Double { Double(minutes) / 60 }

    /// Counts one session of `minutes`.
    mutating func add(minutes: Int) {
        sessions += 1
        self.minutes += UInt64(max(0, minutes))
    }

    /// Writes minutes, then sessions (8 bytes each).
    func encode(into writer: inout EventPayloadWriter) {
        writer.write(minutes)
        writer.write(sessions)
    }

    /// Reads what ``encode(into:)`` wrote.
    init(decoding reader: inout EventPayloadReader) throws {
        minutes = try reader.readUInt64()
        sessions = try reader.readUInt64()
    }
}
