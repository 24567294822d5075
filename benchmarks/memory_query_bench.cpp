// SPDX-License-Identifier: MIT
// The memory store's queries have no index: a filtered, sorted page reads every record. This
// measures such a page of 50 over 100k tags (benchmarks/tag_rows.hpp), the first page and
// pages after a cursor, beside the same selection written by hand over a std::vector<Tag>,
// and counts the heap allocations of each query with a replaced global operator new: a
// query should allocate for the records it returns and a constant, never per record it
// scans (allocs_per_query; the run fails when it passes one per 100 records scanned).
//
// The query: tags of weight at least 2 that are not pinned (about 65 % of them), by name.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "support/counted_new.hpp"
#include "tag_rows.hpp"

namespace {

using app::Tag;

constexpr std::int64_t records = 100'000;
constexpr std::int64_t owners = 1000;
constexpr std::size_t page_size = 50;
constexpr std::size_t pages_walked = 20;  // the cursors the cursor benchmarks cycle through

optimist::Query<Tag> query() {
  return optimist::Query<Tag>(optimist::ge<&Tag::weight>(2.0) && optimist::eq<&Tag::pinned>(false))
      .order_by(optimist::asc<&Tag::name>)
      .limit(page_size);
}

bool selected(const Tag& t) {
  return t.weight >= 2.0 && !t.pinned;
}

// The store with its records, and the cursors of the first pages, made once.
struct Fixture {
  std::shared_ptr<optimist::Store> store = optimist::open("memory:").value();
  optimist::Resource<Tag> tags{store};
  std::vector<std::string> cursors;  // cursors[k]: after page k
  // The same records by hand, kept as the store keeps its rows (by key, in a hash map), and
  // the (name, id) after each page.
  std::unordered_map<std::int64_t, Tag> plain;
  std::vector<std::pair<std::string, std::int64_t>> after;

  Fixture() {
    bench::create_tags(*store, tags, records, owners);
    std::string cursor;
    for (std::size_t k = 0; k < pages_walked; ++k) {
      auto page = tags.page(query(), cursor).value();
      cursors.push_back(*page.next);
      after.emplace_back(page.records.back().name, page.records.back().id);
      cursor = *page.next;
    }
    tags.for_each(optimist::Query<Tag>(), 1000, [&](const Tag& t) { plain.emplace(t.id, t); })
        .value();
  }
};

// Made on first use; destroyed before main returns.
std::unique_ptr<Fixture> made;

Fixture& fixture() {
  if (!made) made = std::make_unique<Fixture>();
  return *made;
}

// Reports the allocations per query since `before`, and fails the run past one per 100
// records scanned.
void report_allocations(benchmark::State& state, std::uint64_t before) {
  const double per_query =
      static_cast<double>(optimist::testing::allocated() - before) /
      static_cast<double>(std::max<benchmark::IterationCount>(state.iterations(), 1));
  state.counters["allocs_per_query"] = per_query;
  state.SetItemsProcessed(state.iterations());
  if (per_query > static_cast<double>(records) / 100) {
    state.SkipWithError("the query allocates per record scanned");
  }
}

void optimist_page(benchmark::State& state, bool with_cursor) {
  Fixture& f = fixture();
  std::size_t k = 0;
  const std::uint64_t before = optimist::testing::allocated();
  for (auto _ : state) {
    const std::string_view cursor =
        with_cursor ? std::string_view(f.cursors[k++ % f.cursors.size()]) : std::string_view();
    auto r = f.tags.page(query(), cursor);
    if (!r || r.value().records.size() != page_size) {
      state.SkipWithError("the page failed or held another number of records");
      break;
    }
    benchmark::DoNotOptimize(r.value().records.data());
  }
  report_allocations(state, before);
}

// The page by hand, over the same records in the same kind of map: one pass keeping the 51 lowest
// (name, id) in a heap, then a copy of 50.
void hand_written_page(benchmark::State& state, bool with_cursor) {
  Fixture& f = fixture();
  std::size_t k = 0;
  const auto less = [](const Tag* a, const Tag* b) {
    return std::tie(a->name, a->id) < std::tie(b->name, b->id);
  };
  const std::uint64_t before = optimist::testing::allocated();
  for (auto _ : state) {
    const std::pair<std::string, std::int64_t>* from =
        with_cursor ? &f.after[k++ % f.after.size()] : nullptr;
    std::vector<const Tag*> kept;
    kept.reserve(page_size + 1);
    for (const auto& [id, t] : f.plain) {
      if (!selected(t)) continue;
      if (from != nullptr && std::tie(t.name, t.id) <= std::tie(from->first, from->second)) {
        continue;
      }
      if (kept.size() <= page_size) {
        kept.push_back(&t);
        std::push_heap(kept.begin(), kept.end(), less);
      } else if (less(&t, kept.front())) {
        std::pop_heap(kept.begin(), kept.end(), less);
        kept.back() = &t;
        std::push_heap(kept.begin(), kept.end(), less);
      }
    }
    std::sort_heap(kept.begin(), kept.end(), less);
    std::vector<Tag> page;
    page.reserve(page_size);
    for (std::size_t i = 0; i < std::min(page_size, kept.size()); ++i) page.push_back(*kept[i]);
    std::optional<std::pair<std::string, std::int64_t>> next;
    if (kept.size() > page_size) next.emplace(page.back().name, page.back().id);
    if (page.size() != page_size) {
      state.SkipWithError("the page held another number of records");
      break;
    }
    benchmark::DoNotOptimize(page.data());
    benchmark::DoNotOptimize(next);
  }
  report_allocations(state, before);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (const bool cursor : {false, true}) {
    const char* which = cursor ? "after_cursor" : "first_page";
    benchmark::RegisterBenchmark(fmt::format("optimist/{}", which).c_str(),
                                 [cursor](benchmark::State& s) { optimist_page(s, cursor); })
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(fmt::format("hand_written/{}", which).c_str(),
                                 [cursor](benchmark::State& s) { hand_written_page(s, cursor); })
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  made.reset();
  benchmark::Shutdown();
  return 0;
}
