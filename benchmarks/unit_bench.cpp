// SPDX-License-Identifier: MIT
// A two-step unit (two locked updates, all or nothing) through Unit::run against the same
// two updates in a transaction opened by hand, in the same run, on PostgreSQL (when
// OPTIMIST_BENCH_POSTGRES_URL is set) and on a SQLite WAL file. The difference is what
// Unit::run adds: its validation, its result map and its schema checks, which a store
// makes once per table.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "resources/address.hpp"

namespace {

using app::Address;
using optimist::set;

const char* const counties[] = {"Pinellas", "Miami-Dade"};

struct Fixture {
  std::shared_ptr<optimist::Store> store;
  optimist::Resource<Address> addresses;
  Address a;
  Address b;

  explicit Fixture(const std::string& url)
      : store(optimist::open(url).value()),
        addresses(store),
        a(addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Polk"))),
        b(addresses.create_or_throw(set<&Address::state>("NC"), set<&Address::county>("Wake"))) {}
};

void unit_run(benchmark::State& state, const std::string& url) {
  Fixture f(url);
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string county = counties[++i & 1];
    auto r = optimist::Unit{}
                 .update("a", f.a, set<&Address::county>(county))
                 .update("b", f.b, set<&Address::county>(county))
                 .run(f.store);
    if (!r) {
      state.SkipWithError("unit failed");
      break;
    }
    f.a = r.value().get<Address>("a");
    f.b = r.value().get<Address>("b");
  }
}

void by_hand(benchmark::State& state, const std::string& url) {
  Fixture f(url);
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string county = counties[++i & 1];
    auto tx = f.store->begin().value();
    const auto in_tx = f.addresses.in(*tx);
    auto a = in_tx.update(f.a, set<&Address::county>(county));
    auto b =
        a ? in_tx.update(f.b, set<&Address::county>(county)) : optimist::Result<Address>(a.error());
    if (!b || !tx->commit()) {
      state.SkipWithError("transaction failed");
      break;
    }
    f.a = a.value();
    f.b = b.value();
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("unit_bench_{}", getpid());
  std::filesystem::create_directories(dir);
  std::vector<std::pair<std::string, std::string>> targets{
      {"sqlite_file", "sqlite:" + (dir / "bench.db").string()}};
  if (const char* pg = std::getenv("OPTIMIST_BENCH_POSTGRES_URL"))
    targets.emplace_back("postgres", pg);
  for (const auto& [name, url] : targets) {
    benchmark::RegisterBenchmark(("unit_run/" + name).c_str(), unit_run, url)->UseRealTime();
    benchmark::RegisterBenchmark(("by_hand/" + name).c_str(), by_hand, url)->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(dir);
  return 0;
}
