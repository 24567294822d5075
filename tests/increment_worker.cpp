// SPDX-License-Identifier: MIT
// One process of the multi-process invariant test: read-modify-write increments of Tally
// rows, retried on stale_record (and on unavailable: a busy database), counting commits.
//
// usage: increment_worker URL OUTPUT ITERATIONS KEY...
// With ITERATIONS 0 and no keys it only opens the store and creates the table if missing.
// Writes "KEY COMMITS" lines to OUTPUT; exits 0 on success, 1 on usage errors, 2 when an
// operation fails with another kind or retries do not end.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optimist/optimist.hpp>
#include <string>
#include <vector>

#include "support/tally.hpp"

namespace {

using test_app::Tally;

constexpr int max_attempts = 1'000'000;

bool retry(const optimist::Error& e) {
  return e.kind == optimist::ErrorKind::stale_record || e.kind == optimist::ErrorKind::unavailable;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || (argc == 4 && std::strtol(argv[3], nullptr, 10) != 0)) {
    std::fputs("usage: increment_worker URL OUTPUT ITERATIONS KEY...\n", stderr);
    return 1;
  }
  const std::string url = argv[1];
  const std::string output = argv[2];
  const long iterations = std::strtol(argv[3], nullptr, 10);
  std::vector<std::int64_t> keys;
  for (int i = 4; i < argc; ++i) keys.push_back(std::strtoll(argv[i], nullptr, 10));

  auto store = optimist::open(url);
  if (!store) {
    fmt::print(stderr, "increment_worker: open: {}\n", store.error());
    return 2;
  }
  auto tallies = optimist::Resource<Tally>::open(store.value());
  if (!tallies) {
    fmt::print(stderr, "increment_worker: schema: {}\n", tallies.error());
    return 2;
  }

  std::map<std::int64_t, long> commits;
  for (long i = 0; i < iterations; ++i) {
    const std::int64_t key = keys[static_cast<std::size_t>(i) % keys.size()];
    int attempt = 0;
    for (;; ++attempt) {
      if (attempt == max_attempts) {
        fmt::print(stderr, "increment_worker: key {} never committed\n", key);
        return 2;
      }
      auto tally = tallies.value().get(key);
      if (!tally) {
        if (retry(tally.error())) continue;
        fmt::print(stderr, "increment_worker: get: {}\n", tally.error());
        return 2;
      }
      auto updated = tallies.value().update(tally.value(),
                                            optimist::set<&Tally::count>(tally.value().count + 1));
      if (updated) break;
      if (retry(updated.error())) continue;
      fmt::print(stderr, "increment_worker: update: {}\n", updated.error());
      return 2;
    }
    ++commits[key];
  }

  std::FILE* out = std::fopen(output.c_str(), "w");
  if (out == nullptr) return 2;
  for (const auto& [key, n] : commits) fmt::print(out, "{} {}\n", key, n);
  return std::fclose(out) == 0 ? 0 : 2;
}
