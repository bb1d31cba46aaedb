public import Foundation

/// A small, fast, seedable random number generator (xoshiro256**, seeded through SplitMix64).
///
/// Its output depends only on the seed — not on the platform, the Swift version or the standard
/// library's sampling algorithms, which the helpers here do not use — so a simulation is
/// reproducible byte for byte.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates a generator from a seed. Different seeds give unrelated streams.
    public init(seed: UInt64) {
        self.init(state: seed)
    }

    /// Creates the generator of sub-stream `stream` of `seed` (one per simulated mentorship, say).
    /// The two are mixed non-linearly, so no other (seed, stream) pair shares its output.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SeededGenerator(state: stream ^ 0x6A09_E667_F3BC_C908)
        self.init(state: seed ^ mixer.next())
    }

    private init(state seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform value in `0..<limit`, or any 64-bit value when `limit` is 0 (the full range),
    /// without modulo bias.
    private mutating func bounded(_ limit: UInt64) -> UInt64 {
        guard limit != 0 else { return next() }
        let threshold = (0 &- limit) % limit
        while true {
            let value = next()
            if value >= threshold { return value % limit }
        }
    }

    /// A uniform integer in `0..<bound`; 0 when `bound` is not positive.
    mutating func below(_ bound: Int) -> Int {
        bound > 0 ? Int(bounded(UInt64(bound))) : 0
    }

    /// A uniform integer in `range` (any range, up to `Int.min...Int.max`).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound)) &+ 1
        return range.lowerBound &+ Int(truncatingIfNeeded: bounded(span))
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// `true` with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A random element of a non-empty array (the simulator's own literal lists).
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    /// A random (version 4) UUID drawn from this generator.
    public mutating func uuid() -> UUID {
        let a = next(), b = next()
        var bytes = (a.littleEndian, b.littleEndian)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = (raw[6] & 0x0F) | 0x40
            raw[8] = (raw[8] & 0x3F) | 0x80
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}
