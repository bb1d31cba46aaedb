@testable import Accountability
import Testing

/// The row checksum is CRC-32 (IEEE), eight bytes at a time giving the byte-at-a-time value.
@Suite("Record checksum")
struct RecordChecksumTests {
    /// The byte-at-a-time definition, to compare with.
    private static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    @Test("the standard check value, and the bitwise definition at every length up to 300 bytes")
    func values() {
        #expect(RecordChecksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(RecordChecksum.crc32([]) == 0)
        var generator = SeededBytes(seed: 7)
        for length in 0...300 {
            let bytes = (0..<length).map { _ in generator.next() }
            #expect(RecordChecksum.crc32(bytes) == Self.reference(bytes), "length \(length)")
        }
    }

    /// A small deterministic byte source.
    private struct SeededBytes {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }
}
