public import Foundation

/// The secret that signs a ledger's head (HMAC-SHA256): whoever holds it can seal and check seals;
/// whoever rewrites the log without it cannot make seals that check.
///
/// Keep it away from the ledger's directory (a key next to the data protects nothing).
public struct SealKey: Sendable {
    /// The key's bytes.
    let bytes: [UInt8]

    /// The fewest bytes a key may have.
    public static let minimumLength = 16

    /// A key of `bytes` (at least ``minimumLength``; 32 random bytes is the usual choice).
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` for a shorter key.
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= Self.minimumLength else {
            throw LedgerError(.invalidRequest, "a seal key needs at least \(Self.minimumLength) bytes; this one has \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// The key in the file at `url`: its bytes as they are, or, when the file holds only
    /// hexadecimal digits (and a line break), the bytes they spell.
    ///
    /// - Throws: ``LedgerError/Code/notFound`` when the file cannot be read,
    ///   ``LedgerError/Code/invalidRequest`` when the key is too short.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LedgerError(.notFound, "the seal key file '\(url.path)' cannot be read: \(error.localizedDescription)")
        }
        var bytes = Array(data)
        while let last = bytes.last, last == 10 || last == 13 || last == 32 { bytes.removeLast() }
        if !bytes.isEmpty, bytes.count % 2 == 0, let decoded = Self.hex(bytes) { bytes = decoded }
        try self.init(bytes: bytes)
    }

    /// 32 random bytes from the system's generator.
    public static func random() -> SealKey {
        var generator = SystemRandomNumberGenerator()
        return SealKey(unchecked: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The key as 64 hexadecimal digits (what ``init(contentsOf:)`` reads back).
    public var hex: String { bytes.map { String(format: "%02x", $0) }.joined() }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    private static func hex(_ digits: [UInt8]) -> [UInt8]? {
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 48...57: digit - 48
            case 97...102: digit - 87
            case 65...70: digit - 55
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
