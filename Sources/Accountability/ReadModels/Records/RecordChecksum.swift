/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) of a ``MentorshipRecord``'s body: it
/// detects every single-bit flip and every burst of up to 32 bits, so a damaged row fails to
/// decode instead of decoding into other numbers.
enum RecordChecksum {
    /// The byte-at-a-time table.
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    /// The CRC-32 of `bytes`.
    static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
