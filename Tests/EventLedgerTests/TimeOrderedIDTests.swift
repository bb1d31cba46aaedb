import EventLedger
import Foundation
import Testing

@Suite("Time-ordered ids")
struct TimeOrderedIDTests {
    private func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    @Test("a version 7 id (RFC 9562) carrying the unix milliseconds of its time")
    func layout() {
        let now = Date(timeIntervalSince1970: 1_764_000_000.123)
        let b = bytes(UUID.timeOrdered(now: now))
        #expect(b[6] >> 4 == 7, "version nibble")
        #expect(b[8] >> 6 == 0b10, "variant bits")
        let milliseconds = b[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        // Later than any id made before in this process, so at least the given time.
        #expect(milliseconds >= 1_764_000_000_123)
        #expect(UUID.timeOrdered().uuidString.count == 36)
    }

    @Test("a time before 1970 or not a number still gives a valid id, later than the ones before")
    func timesBeforeTheEpoch() {
        var previous = bytes(UUID.timeOrdered())
        for seconds in [-1e12, -1, 0, .nan, -.infinity] as [Double] {
            let next = bytes(UUID.timeOrdered(now: Date(timeIntervalSince1970: seconds)))
            #expect(next[6] >> 4 == 7)
            #expect(next[8] >> 6 == 0b10)
            #expect(previous.lexicographicallyPrecedes(next), "after a time of \(seconds) s")
            previous = next
        }
    }

    @Test("ids made one after another increase strictly in byte order, also within one millisecond")
    func strictlyIncreasing() {
        let fixed = Date()
        var previous = bytes(UUID.timeOrdered(now: fixed))
        for _ in 0..<10_000 {
            let next = bytes(UUID.timeOrdered(now: fixed))
            #expect(previous.lexicographicallyPrecedes(next))
            previous = next
        }
    }

    @Test("ids from many threads at once are all distinct")
    func distinctAcrossThreads() async {
        let ids = await withTaskGroup(of: [UUID].self) { group in
            for _ in 0..<8 { group.addTask { (0..<2_000).map { _ in UUID.timeOrdered() } } }
            var all: [UUID] = []
            for await part in group { all += part }
            return all
        }
        #expect(Set(ids).count == 16_000)
    }

    @Test("a proposed event gets a time-ordered id unless it is given one")
    func defaultID() throws {
        let before = bytes(UUID.timeOrdered())
        let event = ProposedEvent(eventType: "Any", schemaVersion: 1, payload: [])
        #expect(bytes(event.id)[6] >> 4 == 7)
        #expect(before.lexicographicallyPrecedes(bytes(event.id)))
        let given = UUID()
        #expect(ProposedEvent(eventType: "Any", schemaVersion: 1, payload: [], id: given).id == given)
    }
}
