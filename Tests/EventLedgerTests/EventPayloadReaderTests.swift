import EventLedger
import Foundation
import Testing

@Suite("Event payload codec")
struct EventPayloadReaderTests {
    @Test("every writer method round-trips through the reader")
    func roundTrip() throws {
        let id = UUID()
        var writer = EventPayloadWriter()
        writer.write(UInt8(7))
        writer.write(UInt16(65_000))
        writer.write(UInt32.max)
        writer.write(UInt64.max - 1)
        writer.write(Int64.min)
        writer.write(true)
        writer.write(-2.5)
        writer.write(id)
        writer.write(Timestamp(microsecondsSinceEpoch: -42))
        writer.write("héllo")
        writer.writeOptional(Int64?.some(9)) { $0.write($1) }
        writer.writeOptional(Int64?.none) { $0.write($1) }
        writer.writeArray([UInt32(1), 2, 3]) { $0.write($1) }
        try writer.bytes.withUnsafeBytes { bytes in
            var reader = EventPayloadReader(bytes)
            #expect(try reader.readUInt8() == 7)
            #expect(try reader.readUInt16() == 65_000)
            #expect(try reader.readUInt32() == .max)
            #expect(try reader.readUInt64() == .max - 1)
            #expect(try reader.readInt64() == .min)
            #expect(try reader.readBool())
            #expect(try reader.readDouble() == -2.5)
            #expect(try reader.readUUID() == id)
            #expect(try reader.readTimestamp() == Timestamp(microsecondsSinceEpoch: -42))
            #expect(try reader.readString() == "héllo")
            #expect(try reader.readOptional { try $0.readInt64() } == 9)
            #expect(try reader.readOptional { try $0.readInt64() } == nil)
            #expect(try reader.readArray(minimumElementSize: 4) { try $0.readUInt32() } == [1, 2, 3])
            #expect(reader.isAtEnd)
            try reader.expectEnd("test")
        }
    }

    @Test("reading past the end throws with the offset, never crashes")
    func truncated() throws {
        try [UInt8](repeating: 1, count: 5).withUnsafeBytes { bytes in
            var reader = EventPayloadReader(bytes)
            _ = try reader.readUInt32()
            let error = try #require(throws: EventPayloadError.self) { try reader.readUInt64() }
            #expect(error.offset == 4)
            #expect(error.reason.contains("8 bytes needed, 1 left"))
        }
    }

    @Test("a damaged length prefix cannot cause a large allocation or an overread")
    func hostileLengths() throws {
        // A string and an array that claim 4 GiB.
        ([0xFF, 0xFF, 0xFF, 0xFF, 0x41] as [UInt8]).withUnsafeBytes { bytes in
            var strings = EventPayloadReader(bytes)
            #expect(throws: EventPayloadError.self) { try strings.readString() }
            var arrays = EventPayloadReader(bytes)
            #expect(throws: EventPayloadError.self) { try arrays.readArray { try $0.readUInt8() } }
        }
    }

    @Test("invalid UTF-8, a Bool other than 0/1 and trailing bytes are errors")
    func invalidValues() throws {
        ([2, 0, 0, 0, 0xC3, 0x28] as [UInt8]).withUnsafeBytes { bytes in
            var reader = EventPayloadReader(bytes)
            #expect(throws: EventPayloadError.self) { try reader.readString() }
        }
        ([2] as [UInt8]).withUnsafeBytes { bytes in
            var reader = EventPayloadReader(bytes)
            #expect(throws: EventPayloadError.self) { try reader.readBool() }
        }
        try ([1, 2] as [UInt8]).withUnsafeBytes { bytes in
            var reader = EventPayloadReader(bytes)
            _ = try reader.readUInt8()
            #expect(throws: EventPayloadError.self) { try reader.expectEnd("test") }
        }
    }

    @Test("strings of every length round-trip, ASCII or not; a bad byte anywhere is an error")
    func stringsOfEveryLength() throws {
        for length in 0...40 {
            let ascii = String(repeating: "a", count: length)
            let mixed = String(repeating: "z", count: length) + "é" + String(repeating: "q", count: length % 9)
            var writer = EventPayloadWriter()
            writer.write(ascii)
            writer.write(mixed)
            try writer.bytes.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws in
                var reader = EventPayloadReader(bytes)
                #expect(try reader.readString() == ascii)
                #expect(try reader.readString() == mixed)
                #expect(reader.isAtEnd)
            }
            // A lone continuation byte, a byte above 0x7F that no UTF-8 uses, at every position.
            for bad: UInt8 in [0x80, 0xFF] where length > 0 {
                for at in 0..<length {
                    var bytes = Array(UInt32(length).littleEndian.bytes) + Array(ascii.utf8)
                    bytes[4 + at] = bad
                    bytes.withUnsafeBytes { raw in
                        var reader = EventPayloadReader(raw)
                        #expect(throws: EventPayloadError.self) { try reader.readString() }
                    }
                }
            }
        }
    }

    @Test("UUID arrays round-trip; a count beyond the bytes left is an error before any allocation")
    func uuidArrays() throws {
        for count in [0, 1, 2, 7] {
            let ids = (0..<count).map { _ in UUID() }
            var writer = EventPayloadWriter()
            writer.writeArray(ids) { $0.write($1) }
            writer.write(UInt8(9))
            try writer.bytes.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws in
                var reader = EventPayloadReader(bytes)
                #expect(try reader.readUUIDArray() == ids)
                #expect(try reader.readUInt8() == 9)
            }
        }
        // Claims 2 UUIDs, holds 31 bytes.
        (Array(UInt32(2).littleEndian.bytes) + [UInt8](repeating: 1, count: 31)).withUnsafeBytes { bytes in
            var reader = EventPayloadReader(bytes)
            let error = #expect(throws: EventPayloadError.self) { try reader.readUUIDArray() }
            #expect(error?.offset == 0)
        }
    }

    @Test("chain hashes print and parse as 64 hex digits")
    func chainHashHex() throws {
        let bytes = (0..<32).map { UInt8($0 * 7) }
        let hash = try #require(ChainHash(bytes: bytes))
        #expect(hash.bytes == bytes)
        #expect(hash.hex.count == 64)
        #expect(ChainHash(hex: hash.hex) == hash)
        #expect(ChainHash(hex: "zz") == nil)
        #expect(ChainHash(bytes: [1, 2]) == nil)
        #expect(ChainHash.genesis.hex == String(repeating: "0", count: 64))
    }
}

extension UInt32 {
    /// The four bytes of the value as stored.
    fileprivate var bytes: [UInt8] { withUnsafeBytes(of: self) { Array($0) } }
}
