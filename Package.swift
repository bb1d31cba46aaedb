// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "AccountabilityLedger",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EventLedger", targets: ["EventLedger"]),
        .library(name: "LMDBKit", targets: ["LMDBKit"]),
        .library(name: "Accountability", targets: ["Accountability"]),
        .executable(name: "ledger", targets: ["LedgerCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The C library. Only LMDBKit imports it.
        .systemLibrary(
            name: "CLMDB",
            path: "Sources/CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // Storage: every mdb_* call and all unsafe pointer code.
        .target(name: "LMDBKit", dependencies: ["CLMDB"]),
        // Domain-agnostic kernel: envelope, log, streams, hash chain, reads, verification.
        .target(
            name: "EventLedger",
            dependencies: [
                "LMDBKit",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The mentoring domain: events, rules, commands, simulator. Public EventLedger API only.
        .target(name: "Accountability", dependencies: ["EventLedger"]),
        // The `ledger` command-line tool. Public API only.
        .executableTarget(
            name: "LedgerCLI",
            dependencies: [
                "Accountability", "EventLedger",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Sample event types and fixtures shared by the tests and the test child process.
        .target(
            name: "LedgerTestSupport",
            dependencies: ["EventLedger", "LMDBKit"],
            path: "Tests/Support/LedgerTestSupport"
        ),
        // A real child process used by the multi-process and crash tests.
        .executableTarget(
            name: "LedgerTestChild",
            dependencies: ["EventLedger", "LedgerTestSupport"],
            path: "Tests/Support/LedgerTestChild"
        ),
        // Examples: public API only, built and run by `make test` / `make demo`.
        .executableTarget(name: "KernelTour", dependencies: ["EventLedger"], path: "Examples/KernelTour"),
        .executableTarget(
            name: "AccountabilityDemo",
            dependencies: [
                "Accountability", "EventLedger",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Examples/AccountabilityDemo"
        ),
        // What the examples share: their arguments and a simulated program in a temporary ledger.
        .target(name: "ExampleSupport", dependencies: ["Accountability", "EventLedger"], path: "Examples/ExampleSupport"),
        .executableTarget(name: "EarlyWarning", dependencies: ["Accountability", "EventLedger", "ExampleSupport"], path: "Examples/EarlyWarning"),
        .executableTarget(name: "MentoringHours", dependencies: ["Accountability", "EventLedger", "ExampleSupport"], path: "Examples/MentoringHours"),
        .executableTarget(name: "GoalAuditTrail", dependencies: ["Accountability", "EventLedger", "ExampleSupport"], path: "Examples/GoalAuditTrail"),
        .executableTarget(name: "MilestoneEvents", dependencies: ["Accountability", "EventLedger", "ExampleSupport"], path: "Examples/MilestoneEvents"),
        // The fuzz tests' shared harness (seeded generators, settings, bookkeeping).
        .target(name: "FuzzSupport", path: "Tests/Support/FuzzSupport"),
        .testTarget(name: "LMDBKitTests", dependencies: ["LMDBKit"]),
        .testTarget(name: "EventLedgerTests", dependencies: ["EventLedger", "LMDBKit", "LedgerTestSupport", "FuzzSupport"]),
        .testTarget(
            name: "LedgerToolTests",
            dependencies: ["Accountability", "EventLedger", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "AccountabilityTests",
            dependencies: [
                "Accountability", "EventLedger", "LMDBKit", "LedgerTestSupport", "FuzzSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings += [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
    target.swiftSettings = settings
}
