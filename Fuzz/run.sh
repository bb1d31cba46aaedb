#!/usr/bin/env bash
# Fuzz/run.sh [seconds] — builds the libFuzzer target for the envelope decoder and runs it for
# `seconds` (default 60) on the corpus in Fuzz/.corpus/envelope, seeded the first time with valid
# records from a real ledger (`EnvelopeFuzzer --write-seeds=DIR`). Crashing inputs are written to
# Fuzz/.corpus/artifacts/. Exits non-zero when libFuzzer finds a crash, a leak, a timeout, or an
# allocation over FUZZ_MALLOC_LIMIT_MB (default 64: no length field may drive a large allocation).
#
# To replay one input (a crash from artifacts/, say), run the binary the script prints with the
# file as its only argument: `Fuzz/.build/release/EnvelopeFuzzer Fuzz/.corpus/artifacts/crash-…`.
#
# Environment: FUZZ_SANITIZERS (default "fuzzer,address"; "fuzzer" alone runs about 4x faster),
# SWIFT (default "swift"), FUZZ_JOBS (parallel fuzzing processes, default 1).
set -euo pipefail

seconds="${1:-60}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
swift="${SWIFT:-swift}"
sanitizers="${FUZZ_SANITIZERS:-fuzzer,address}"
malloc_limit="${FUZZ_MALLOC_LIMIT_MB:-64}"
jobs="${FUZZ_JOBS:-1}"
corpus="$here/.corpus/envelope"
artifacts="$here/.corpus/artifacts"

# -sanitize=fuzzer instruments every Swift module (the EventLedger library too) for coverage and
# links libFuzzer's driver; the program's own main (main.swift) hands it the command line.
build=("$swift" build --package-path "$here" -c release --product EnvelopeFuzzer -Xswiftc "-sanitize=$sanitizers")
echo "+ ${build[*]}"
"${build[@]}"
fuzzer="$("${build[@]}" --show-bin-path)/EnvelopeFuzzer"

mkdir -p "$corpus" "$artifacts"
if [ -z "$(ls -A "$corpus")" ]; then
    "$fuzzer" --write-seeds="$corpus"
fi

run=("$fuzzer" "-max_total_time=$seconds" "-malloc_limit_mb=$malloc_limit" -timeout=10 -print_final_stats=1
     "-artifact_prefix=$artifacts/" "$corpus")
if [ "$jobs" -gt 1 ]; then
    run+=("-jobs=$jobs" "-workers=$jobs")
fi
echo "+ ${run[*]}"
exec "${run[@]}"
