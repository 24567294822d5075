# SPDX-License-Identifier: MIT
# make bench: install what is missing, build in Release, run the conflict-rate sweep and write
#             bench-results/bench.{json,csv,svg}.
# make example: run the README's walkthrough.
# make test:  install what is missing, build, run every test against a throwaway PostgreSQL.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

# The main job's sweep. An empty BENCH_BACKEND uses optimist-bench's default: an embedded
# SQLite file in a fresh temporary directory.
BENCH_BACKEND ?=
BENCH_FLAGS ?= --sweep records=1,10,100,1000 --strategy optimistic,retry,pessimistic,raw \
               --workers 4 --duration 2
BENCH_RESULTS ?= bench-results

.PHONY: all deps build test test-asan test-tsan bench example clean

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
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPTIMIST_SANITIZE=address,undefined \
	  -DOPTIMIST_BUILD_BENCHMARKS=OFF -DOPTIMIST_BUILD_EXAMPLES=OFF
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ./scripts/with-postgres.sh ctest --test-dir build-asan --output-on-failure -j$(JOBS) \
	  -E '^(compile_fail|consumer)'

# The suite under ThreadSanitizer, PostgreSQL included.
test-tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPTIMIST_SANITIZE=thread \
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

example: build
	./$(BUILD_DIR)/examples/address_walkthrough

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan
