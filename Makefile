# SPDX-License-Identifier: MIT
# make bench: install what is missing, build in Release, run the main job on embedded SQLite.
# make test:  install what is missing, build, run every test against a throwaway PostgreSQL.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

.PHONY: all deps build test bench clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j$(JOBS)

test: build
	./scripts/with-postgres.sh ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

bench: build
	./$(BUILD_DIR)/examples/address_walkthrough

clean:
	rm -rf $(BUILD_DIR)
