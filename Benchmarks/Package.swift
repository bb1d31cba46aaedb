// swift-tools-version: 6.1
// The benchmarks: a separate package so that users of the library never build them.
import PackageDescription

let package = Package(
    name: "AccountabilityLedgerBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "AccountabilityLedger", path: ".."),
        // The SQLite peer.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // package-benchmark: the `LedgerBenchmarks` suite (`make bench`). MallocInterposer gives
        // the malloc metrics on Swift 6.3+ (no jemalloc to install).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The raw LMDB peer talks to the C API directly: the physical limit.
        .systemLibrary(name: "CRawLMDB", path: "Sources/CRawLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        // Workloads (from the seeded simulator) and the peers measured against the ledger.
        .target(
            name: "BenchmarkWorkloads",
            dependencies: [
                "CRawLMDB",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "EventLedger", package: "AccountabilityLedger"),
                .product(name: "Accountability", package: "AccountabilityLedger"),
            ]
        ),
        // `make bench-compare`: the side-by-side comparison, a table and results/compare.json.
        .executableTarget(name: "BenchCompare", dependencies: ["BenchmarkWorkloads"]),
        // `make bench`: the package-benchmark suite (appends, replays, catch-up, time travel, memory).
        // package-benchmark discovers benchmark targets under `Benchmarks/<TargetName>/`.
        .executableTarget(
            name: "LedgerBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "BenchmarkWorkloads",
                .product(name: "EventLedger", package: "AccountabilityLedger"),
                .product(name: "Accountability", package: "AccountabilityLedger"),
            ],
            path: "Benchmarks/LedgerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
