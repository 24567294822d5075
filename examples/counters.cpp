// SPDX-License-Identifier: MIT
// A read-modify-write that retries when it loses a race, and the URLs that open stores.
#include <fmt/format.h>

#include "resources/counter.hpp"

using app::Counter;
using optimist::set;

namespace {

/// Adds one to counter `id`, reloading and redoing the change while it loses races.
optimist::RetryOutcome<Counter> bump(const optimist::Resource<Counter>& counters, std::int64_t id) {
  auto out = optimist::retry(optimist::RetryPolicy{}, [&]() -> optimist::Result<Counter> {
    OPTIMIST_TRY(c, counters.get(id));
    return counters.update(c, set<&Counter::value>(c.value + 1));
  });
  return out;
}

/// Adds one to both counters in one transaction of their own: both or neither. With group
/// commit, concurrent callers share one commit and one flush.
optimist::Result<void> bump_both(const std::shared_ptr<optimist::Store>& store,
                                 const optimist::Resource<Counter>& counters, std::int64_t a,
                                 std::int64_t b) {
  return store->transact([&](optimist::Transaction& tx) -> optimist::Result<void> {
    for (const std::int64_t id : {a, b}) {
      OPTIMIST_TRY(c, counters.in(tx).get(id));
      OPTIMIST_TRYV(counters.in(tx).update(c, set<&Counter::value>(c.value + 1)));
    }
    return optimist::ok();
  });
}

/// The store URLs of the README's "SQL stores" section; compiled, not run: the PostgreSQL
/// hosts are examples.
[[maybe_unused]] void open_stores() {
  auto store = optimist::open("sqlite:app.db").value();                     // WAL file
  auto durable = optimist::open("sqlite:app.db?synchronous=full").value();  // group commit on
  auto scratch = optimist::open("sqlite::memory:").value();                 // private, in memory
  auto shared = optimist::open("postgresql://app:secret@db.internal:5432/app?pool=16").value();
  auto same = optimist::open("postgresql:host=db.internal dbname=app user=app").value();
}

}  // namespace

int main() {
  const auto store = optimist::open("sqlite::memory:").value();
  const optimist::Resource<Counter> counters{store};
  const Counter hits = counters.create_or_throw(set<&Counter::name>("hits"));
  const auto out = bump(counters, hits.id);
  fmt::print("{} is {} after {} attempt(s)\n", out.result.value().name, out.result.value().value,
             out.attempts);
  const Counter misses = counters.create_or_throw(set<&Counter::name>("misses"));
  if (!bump_both(store, counters, hits.id, misses.id)) return 1;
  fmt::print("hits {}, misses {}\n", counters.get_or_throw(hits.id).value,
             counters.get_or_throw(misses.id).value);
  return 0;
}
