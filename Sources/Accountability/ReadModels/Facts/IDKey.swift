import Foundation

/// A UUID as two 64-bit words, so that the read models' lookups compare ids with two integer
/// comparisons (and hash them without SipHash).
struct IDKey: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    init(_ id: UUID) {
        (high, low) = withUnsafeBytes(of: id.uuid) { bytes in
            (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    /// The UUID these words came from.
    var uuid: UUID {
        UUID(uuid: withUnsafeBytes(of: (high, low)) { $0.loadUnaligned(as: uuid_t.self) })
    }

    /// A well-mixed 64-bit hash of both words (ids need not be random: sequential test ids work).
    var mixed: UInt64 {
        var x = high ^ (low &* 0x9E37_79B9_7F4A_7C15)
        x = (x ^ (x >> 31)) &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 29)
    }
}
