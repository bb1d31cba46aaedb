// swift-tools-version: 6.1
// The libFuzzer target for the envelope decoder (issue 7): a separate package so that neither users
// of the library nor `make test` build it. Build and run it with `Fuzz/run.sh [seconds]`; it links
// only with `-sanitize=fuzzer` (which provides libFuzzer's driver), which run.sh passes.
import PackageDescription

let package = Package(
    name: "AccountabilityLedgerFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "AccountabilityLedger", path: ".."),
    ],
    targets: [
        // The declaration of libFuzzer's `LLVMFuzzerRunDriver` (its definition comes with
        // `-sanitize=fuzzer`).
        .target(name: "CFuzzerDriver"),
        // `LLVMFuzzerTestOneInput`: `EventRecord(validating:at:)`, every accessor, and the payload
        // through the codecs of a sample registry.
        .executableTarget(
            name: "EnvelopeFuzzer",
            dependencies: ["CFuzzerDriver", .product(name: "EventLedger", package: "AccountabilityLedger")],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
