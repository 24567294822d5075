# SPDX-License-Identifier: MIT
# make bench: install what is missing, build in Release, run the conflict-rate sweep and write
#             bench-results/bench.{json,csv,svg}.
# make example: run the README's walkthrough.
# make test:  install what is missing, build, run every test against a throwaway PostgreSQL.
# make fuzz:  install clang, build the libFuzzer target in build-fuzz, run it for FUZZ_SECONDS
#             from fuzz/corpus; new inputs go to FUZZ_CORPUS, a crash to build-fuzz/artifacts/
#             and a non-zero exit.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

# The main job's sweep: every records count without and with a think time of 1 ms (the
# second --sweep), where a pessimistic writer holds its lock while it thinks. After the
# table optimist-bench names the fastest strategy of each cell and where retry and
# pessimistic cross over; the plot has a panel per think time. One strategy after another,
# not in turns (--interleave), which cost pessimistic a third of its commits/s at 1 ms think
# time on SQLite (docs/performance.md, "Turns"). About 60 s on 2 cores.
# An empty BENCH_BACKEND uses optimist-bench's default: an embedded SQLite file in a fresh
# temporary directory.
BENCH_BACKEND ?=
BENCH_FLAGS ?= --sweep records=1,10,100,1000 --sweep think-us=0,1000 \
               --strategy optimistic,retry,pessimistic,raw --workers 4 --duration 1.5
BENCH_RESULTS ?= bench-results

# The sanitizer builds: -O1 as the sanitizers recommend, and line tables only (-g1), which
# is all their reports need; full -O2 -g doubled the build time of each.
SANITIZE_FLAGS ?= -O1 -g1 -DNDEBUG

FUZZ_SECONDS ?= 60
FUZZ_CORPUS ?= build-fuzz/corpus
FUZZ_CXX ?= $(shell command -v clang++-14 || command -v clang++ || echo clang++-14)

.PHONY: all deps build test test-asan test-tsan bench example fuzz fuzz-run clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j$(JOBS)

test: build
	./scripts/with-postgres.sh ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

# The suite under AddressSanitizer + UndefinedBehaviorSanitizer, PostgreSQL included.
test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(SANITIZE_FLAGS)" -DOPTIMIST_SANITIZE=address,undefined \
	  -DOPTIMIST_BUILD_BENCHMARKS=OFF -DOPTIMIST_BUILD_EXAMPLES=OFF
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ./scripts/with-postgres.sh ctest --test-dir build-asan --output-on-failure -j$(JOBS) \
	  -E '^(compile_fail|consumer)'

# The suite under ThreadSanitizer, PostgreSQL included.
test-tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(SANITIZE_FLAGS)" -DOPTIMIST_SANITIZE=thread \
	  -DOPTIMIST_BUILD_BENCHMARKS=OFF -DOPTIMIST_BUILD_EXAMPLES=OFF
	cmake --build build-tsan -j$(JOBS)
	TSAN_OPTIONS=halt_on_error=1 \
	  ./scripts/with-postgres.sh ctest --test-dir build-tsan --output-on-failure -j$(JOBS) \
	  -E '^(compile_fail|consumer)'

bench: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j$(JOBS) --target optimist-bench
	mkdir -p $(BENCH_RESULTS)
	./$(BUILD_DIR)/benchmarks/optimist-bench $(if $(BENCH_BACKEND),--backend $(BENCH_BACKEND)) \
	  $(BENCH_FLAGS) --json $(BENCH_RESULTS)/bench.json --csv $(BENCH_RESULTS)/bench.csv \
	  --plot $(BENCH_RESULTS)/bench.svg

# FUZZ_CXX is looked up after the dependencies are installed, in the sub-make.
fuzz:
	./scripts/install-deps.sh --fuzz
	$(MAKE) --no-print-directory fuzz-run

fuzz-run:
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) \
	  -DOPTIMIST_BUILD_FUZZERS=ON -DOPTIMIST_BUILD_TESTS=OFF -DOPTIMIST_BUILD_BENCHMARKS=OFF \
	  -DOPTIMIST_BUILD_EXAMPLES=OFF
	cmake --build build-fuzz -j$(JOBS) --target optimist_fuzz
	mkdir -p $(FUZZ_CORPUS) build-fuzz/artifacts
	./build-fuzz/fuzz/optimist_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/ $(FUZZ_CORPUS) fuzz/corpus

example: build
	./$(BUILD_DIR)/examples/address_walkthrough

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan build-fuzz
