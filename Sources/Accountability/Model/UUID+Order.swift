import Foundation

extension UUID {
    /// Whether this id sorts before `other` in the order of their `uuidString`s (the order the
    /// reports list ids in), compared as two big-endian 64-bit words: no string is built.
    @inline(__always)
    func precedes(_ other: UUID) -> Bool {
        let (a0, a1) = words, (b0, b1) = other.words
        return a0 != b0 ? a0 < b0 : a1 < b1
    }

    /// The 16 bytes as two big-endian words: their integer order is the byte order, which is
    /// the order of the fixed-width hex `uuidString`.
    private var words: (UInt64, UInt64) {
        withUnsafeBytes(of: uuid) { bytes in
            (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }
}
