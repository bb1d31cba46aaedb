# AccountabilityLedger — the two commands a newcomer needs:
#   make demo   builds and runs the demo (installs what is missing first)
#   make test   builds and runs the whole test suite (installs what is missing first)

SWIFT ?= swift
# bash, so that a recipe piped through tee can fail (set -o pipefail).
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test demo bench-compare clean

# liblmdb-dev provides lmdb.h, liblmdb.so and lmdb.pc (pkg-config), which the CLMDB module needs;
# python3 runs Scripts/verify_export.py, which a test runs against real exports.
deps:
	@if [ ! -f /usr/include/lmdb.h ] || ! pkg-config --exists lmdb 2>/dev/null; then \
		echo "Installing liblmdb-dev and pkg-config (apt-get)..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq liblmdb-dev pkg-config; \
	fi
	@if ! command -v python3 >/dev/null 2>&1; then \
		echo "Installing python3 (apt-get)..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3; \
	fi

build: deps
	$(SWIFT) build

# Builds everything (including the child process the multi-process tests start), then runs every test.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(SWIFT) run --skip-build KernelTour > /dev/null
	$(SWIFT) run --skip-build AccountabilityDemo --mentorships 50 --months 3 > /dev/null
	$(SWIFT) run --skip-build EarlyWarning > /dev/null
	$(SWIFT) run --skip-build MentoringHours > /dev/null
	$(SWIFT) run --skip-build GoalAuditTrail > /dev/null
	$(SWIFT) run --skip-build MilestoneEvents > /dev/null
	@echo "examples ran"
	$(SWIFT) build --package-path Benchmarks
	@echo "the Benchmarks package builds (it is run by make bench-compare, not by the tests)"

# Simulates 200 mentorships over 6 months into a new ledger and prints a summary.
# Pass options through ARGS, e.g. make demo ARGS="--seed 7 --mentorships 1000".
demo: deps
	$(SWIFT) run AccountabilityDemo $(ARGS)

# The ledger side by side with raw LMDB on one generated workload (EVENTS=, default 1,000,000);
# prints a table and writes Benchmarks/results/compare.json. Work in progress (issue 5).
EVENTS ?= 1000000
bench-compare: deps
	cd Benchmarks && $(SWIFT) build -c release --product BenchCompare && .build/release/BenchCompare $(EVENTS)

# The release `ledger import` of a large export, end to end (IMPORT_EVENTS=, one or more sizes;
# default 1,000,000): simulate + export once per size (cached in Benchmarks/.build/import-cache,
# about 1 GB per million events), then a plain read(2) of the file, `ledger verify-export`, the
# Python verifier (up to 1M), `ledger import` and `import --faithful` into new directories (wall,
# lines/s, the child's peak RSS) and a doctored line 1 (time to the refusal). Prints a table and
# writes Benchmarks/results/import.json. IMPORT_ARGS passes options, e.g. --fresh, --with-python.
IMPORT_EVENTS ?= 1000000
.PHONY: bench-import
bench-import: deps
	$(SWIFT) build -c release --product ledger
	cd Benchmarks && $(SWIFT) build -c release --product BenchCompare && .build/release/BenchCompare import $(IMPORT_EVENTS) $(IMPORT_ARGS)

# The persisted read models end to end (READ_MODEL_EVENTS=, one or more sizes; default 1M and
# 10M): the same 15,151 mentorships run 6 months per million events (workloads cached under
# Benchmarks/.workloads), replay and report of progress + engagement + commitment against the raw
# LMDB scan, peak memory, bytes per mentorship record, the first persisted build, the durable
# catch-up of one event and one pair's answer. Writes Benchmarks/results/read-models.json.
READ_MODEL_EVENTS ?= 1000000 10000000
.PHONY: bench-read-models
bench-read-models: deps
	cd Benchmarks && $(SWIFT) build -c release --product BenchCompare && .build/release/BenchCompare read-models $(READ_MODEL_EVENTS)

# The package-benchmark suite (Benchmarks/Benchmarks/LedgerBenchmarks): appends, group commit,
# replays into each read model, checkpointed catch-up, time travel and replay memory, with
# wall clock, events/s, malloc counts and peak RSS. About 6 minutes at the default 1,000,000
# events (generating the workload the first time adds a few). Environment: LEDGER_BENCH_EVENTS=N,
# LEDGER_BENCH_LARGE=1 (adds 10M-event variants); pass extra flags through BENCH_ARGS, e.g.
# make bench LEDGER_BENCH_EVENTS=20000 BENCH_ARGS="--filter 'Replay.*'".
.PHONY: bench
bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --target LedgerBenchmarks --no-progress $(BENCH_ARGS)

# The full reliability runs (issue 7; about 25 minutes on 2 cores), which CI does not run: 60 kill
# rounds, 1,500 corruption cases, 1,000,000 fuzz cases per fuzz test, and libFuzzer on the
# envelope decoder for FUZZ_SECONDS (default 300). The counts go to Benchmarks/results/soak.log;
# RELIABILITY.md records what they were on this machine. CI runs the same tests with small seeds.
FUZZ_SECONDS ?= 300
SOAK_SEED ?= $(shell date +%s)
.PHONY: soak
soak: deps
	$(SWIFT) build -c release --build-tests
	mkdir -p Benchmarks/results
	set -o pipefail; LEDGER_KILL_ROUNDS=60 LEDGER_EXPORT_PROPERTY_SEEDS=200 LEDGER_CORRUPTION_CASES=1500 LEDGER_CORRUPTION_SEED=$(SOAK_SEED) LEDGER_FUZZ_CASES=1000000 \
		$(SWIFT) test -c release --skip-build --filter "KillRecoveryTests|ImportKillTests|ReadersDuringWritesTests|CorruptionCampaign|Fuzz|LedgerLimitsTests|HeadSealTests|SealCommandTests|LMDBPageCheckTests|LedgerPageDamageTests|ExportLinePropertyTests" 2>&1 | tee Benchmarks/results/soak.log
	set -o pipefail; Fuzz/run.sh $(FUZZ_SECONDS) 2>&1 | tee -a Benchmarks/results/soak.log
	@grep -E "^(kill recovery|corruption|fuzz|libFuzzer)" Benchmarks/results/soak.log || true

clean:
	rm -rf .build
