/// A SHA-256 digest that links a record to every record before it.
///
/// `hash(n) = SHA-256(hash(n-1) || canonical bytes of record n)`, where the canonical bytes are the
/// stored record without its trailing hash, and `hash(0)` is 32 zero bytes (``genesis``).
/// Fixed-size, so it allocates nothing.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes, as four 64-bit words in memory order.
    var words: (UInt64, UInt64, UInt64, UInt64)

    /// The hash that precedes the first record: 32 zero bytes.
    public static let genesis = ChainHash(words: (0, 0, 0, 0))

    init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Creates a hash from exactly 32 bytes; `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        self.words = words
    }

    /// Creates a hash from 64 hexadecimal digits; `nil` when the text is anything else.
    public init?(hex: String) {
        var hex = hex
        guard let bytes = hex.withUTF8({ $0.count == 64 ? HexText.bytes(UnsafeRawBufferPointer($0)) : nil }) else { return nil }
        self.init(bytes: bytes)
    }

    /// Reads 32 bytes from the start of `buffer` (which must hold at least 32).
    init(loadingFrom buffer: UnsafeRawBufferPointer) {
        words = (
            buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
            buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
            buffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
            buffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        )
    }

    /// The 32 bytes.
    public var bytes: [UInt8] { Swift.withUnsafeBytes(of: words) { Array($0) } }

    /// Calls `body` with the 32 bytes.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    /// 64 lowercase hexadecimal digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        Swift.withUnsafeBytes(of: words) { raw in
            for byte in raw {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    public var description: String { hex }

    public static func == (lhs: ChainHash, rhs: ChainHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
