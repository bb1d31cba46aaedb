// `EnvelopeFuzzer [libFuzzer flags] [corpus dirs]` fuzzes `LLVMFuzzerTestOneInput` (EnvelopeFuzzer.swift)
// with libFuzzer's driver; `EnvelopeFuzzer --write-seeds=DIR` writes valid records, appended to a
// real ledger in a temporary directory, into DIR and exits.
//
// The program has its own entry point (SwiftPM names every executable's `main`) and calls
// `LLVMFuzzerRunDriver`, which `-sanitize=fuzzer` links.

import CFuzzerDriver
import Foundation

let seedFlag = "--write-seeds="
if let argument = CommandLine.arguments.dropFirst().first(where: { $0.hasPrefix(seedFlag) }) {
    let directory = URL(fileURLWithPath: String(argument.dropFirst(seedFlag.count)), isDirectory: true)
    do {
        let count = try writeSeeds(into: directory)
        print("wrote \(count) seed records to \(directory.path)")
        exit(0)
    } catch {
        print("could not write seeds: \(error)")
        exit(1)
    }
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput))
