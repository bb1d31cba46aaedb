public import Foundation
import Synchronization

extension UUID {
    /// The last time-ordered id handed out in this process: unix milliseconds and the 12-bit
    /// sequence within that millisecond.
    private static let lastTimeOrdered = Mutex<(milliseconds: UInt64, sequence: UInt16)>((0, 0))

    /// A new time-ordered id (UUID version 7, RFC 9562): 48 bits of unix milliseconds, a 12-bit
    /// sequence, then 62 random bits. Ids made in one process increase strictly, also within one
    /// millisecond.
    ///
    /// The default id of a ``ProposedEvent``. Ids that increase with time land next to each other
    /// in the ledger's `event-ids` index, so appending writes a few index pages per commit instead
    /// of one page per event, as random (version 4) ids do once the index outgrows a commit.
    public static func timeOrdered(now: Date = Date()) -> UUID {
        // 48 bits of milliseconds; a time before 1970, past the year 10889 or not a number counts as
        // the nearest end (the sequence still keeps ids increasing).
        let given = now.timeIntervalSince1970 * 1000
        let wall = given.isNaN || given <= 0 ? 0 : UInt64(min(given, Double((1 << 48) - 1)))
        let (milliseconds, sequence) = lastTimeOrdered.withLock { last -> (UInt64, UInt16) in
            if wall > last.milliseconds {
                // A new millisecond starts its sequence at a random point in the lower half, so
                // that ids stay hard to guess and still have room to count up.
                last = (wall, UInt16.random(in: 0..<0x800))
            } else if last.sequence < 0xFFF {
                last.sequence += 1
            } else if last.milliseconds < (1 << 48) - 1 {
                // 4,096 ids in one millisecond: borrow the next one.
                last = (last.milliseconds + 1, 0)
            } else {
                // The last representable millisecond is used up: ids stay unique (62 random
                // bits) but no longer increase.
                last.sequence = 0
            }
            return last
        }
        var random = SystemRandomNumberGenerator()
        let tail = random.next() as UInt64
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw.storeBytes(of: (milliseconds << 16).bigEndian, toByteOffset: 0, as: UInt64.self)   // bytes 0-5: time
            raw.storeBytes(of: (0x7000 | sequence).bigEndian, toByteOffset: 6, as: UInt16.self)    // version 7, sequence
            raw.storeBytes(of: tail.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw[8] = (raw[8] & 0x3F) | 0x80                                                      // RFC 9562 variant
        }
        return UUID(uuid: bytes)
    }
}
