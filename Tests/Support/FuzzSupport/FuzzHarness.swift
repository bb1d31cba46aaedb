public import Foundation
public import Testing

// The fuzz tests' shared harness (EnvelopeFuzzTests, EventCodecFuzzTests): seeded generators,
// the case count and seed from the environment, and the bookkeeping of one run.
//
// - `LEDGER_FUZZ_CASES`: cases per test (default 20,000; `make soak` runs 1,000,000).
// - `LEDGER_FUZZ_SEED`: the base seed, decimal or 0x-hex (default 0x5eedf02200000007).
// - `LEDGER_FUZZ_TRACE`: print every case index before it runs.

/// SplitMix64 (Steele, Lea and Flood): tiny, fast and deterministic.
public struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (`bound` > 0), by multiply-shift (no rejection loop).
    public mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A value in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True `percent` times out of 100.
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// A random byte.
    public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    /// `count` random bytes, eight per draw.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = next()
            for _ in 0..<min(8, count - index) {
                result[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return result
    }
}

/// The case count and seed every test of this file uses.
public enum FuzzSettings {
    static let environment = ProcessInfo.processInfo.environment

    /// Cases per test: `LEDGER_FUZZ_CASES`, default 20,000.
    public static let cases: Int = environment["LEDGER_FUZZ_CASES"].flatMap { Int($0) }.map { max(1, $0) } ?? 20_000

    /// The base seed: `LEDGER_FUZZ_SEED`, default 0x5EED_F022_0000_0007.
    public static let seed: UInt64 = {
        guard let text = environment["LEDGER_FUZZ_SEED"] else { return 0x5EED_F022_0000_0007 }
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) ?? 0x5EED_F022_0000_0007 }
        return UInt64(text) ?? 0x5EED_F022_0000_0007
    }()

    /// `LEDGER_FUZZ_TRACE` is set: print every case index.
    public static let trace = environment["LEDGER_FUZZ_TRACE"] != nil

    /// The seed as hexadecimal.
    public static var seedText: String { "0x" + String(seed, radix: 16) }
}

/// One fuzz test's bookkeeping: per-case generators, failures (the first 20 are recorded as
/// issues naming the seed and case), the slowest case, and the summary line.
public struct FuzzRun {
    /// The test's name in the summary line.
    public let name: String
    /// Mixed into every case's seed, so that two tests draw different cases.
    public let salt: UInt64
    /// The number of cases.
    public let cases: Int
    /// Failing cases so far.
    public private(set) var failures = 0
    private(set) var slowest: Duration = .zero
    private(set) var slowestCase = 0
    private let clock = ContinuousClock()

    /// A run of `cases` cases named `name`.
    public init(_ name: String, salt: UInt64, cases: Int = FuzzSettings.cases) {
        self.name = name
        self.salt = salt
        self.cases = cases
        print("fuzz \(name): starting \(cases) cases, seed \(FuzzSettings.seedText)")
    }

    /// Runs `body` for every case with that case's own generator.
    public mutating func run(_ body: (inout FuzzRandom, Int, inout FuzzRun) -> Void) {
        for index in 0..<cases {
            if FuzzSettings.trace { print("fuzz \(name): case \(index)") }
            var mixer = FuzzRandom(seed: FuzzSettings.seed ^ salt &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03)
            var random = FuzzRandom(seed: mixer.next())
            let start = clock.now
            body(&random, index, &self)
            let elapsed = clock.now - start
            if elapsed > slowest {
                slowest = elapsed
                slowestCase = index
            }
        }
    }

    /// Records case `index` as failing (the first 20 as issues).
    public mutating func fail(_ index: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        failures += 1
        if failures <= 20 {
            Issue.record("fuzz \(name), seed \(FuzzSettings.seedText), case \(index): \(message)", sourceLocation: sourceLocation)
        }
    }

    /// Prints the summary line and checks there were no failures and no slow case.
    public func finish(_ detail: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let slowestText = "slowest case \(slowestCase) took \(slowest)"
        print("fuzz \(name): \(cases) cases, 0 crashes, \(failures) failures, \(detail), \(slowestText), seed \(FuzzSettings.seedText)")
        #expect(failures == 0, "fuzz \(name): \(failures) failing cases, seed \(FuzzSettings.seedText)", sourceLocation: sourceLocation)
        // No hang: one case is microseconds; seconds mean a loop driven by the input.
        #expect(slowest < .seconds(2), "fuzz \(name): \(slowestText), seed \(FuzzSettings.seedText)", sourceLocation: sourceLocation)
    }
}
