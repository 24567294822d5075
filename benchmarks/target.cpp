// SPDX-License-Identifier: MIT
// optimist's strategies: every call goes through the framework's code interface.
#include "target.hpp"

#include <chrono>
#include <optimist/optimist.hpp>
#include <thread>

#include "resources/counter.hpp"
#include "sql_session.hpp"

namespace bench {

namespace {

using app::Counter;
using optimist::set;
using Clock = std::chrono::steady_clock;

void think(std::int64_t think_us) {
  if (think_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(think_us));
}

std::int64_t ns_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t).count();
}

bool is_conflict(const optimist::Error& e) {
  return optimist::is_retryable(e);
}

class OptimistWorker final : public Worker {
 public:
  OptimistWorker(Strategy strategy, optimist::Resource<Counter> counters, int max_attempts,
                 std::size_t value_column)
      : strategy_(strategy),
        counters_(std::move(counters)),
        policy_{.max_attempts = max_attempts},
        value_column_(value_column) {}

  OpOutcome increment(std::int64_t key, std::int64_t think_us) override {
    switch (strategy_) {
      case Strategy::optimistic:
        return once(key, think_us);
      case Strategy::retry:
        return with_retry(key, think_us);
      case Strategy::pessimistic:
        return locked(key, think_us);
      case Strategy::atomic:
        return atomic(key);
      case Strategy::raw:
        break;
    }
    OpOutcome out;
    out.error = "raw is not an optimist strategy";
    return out;
  }

 private:
  // Read, think, write back once: a conflict is reported, not retried.
  OpOutcome once(std::int64_t key, std::int64_t think_us) {
    OpOutcome out;
    out.attempts = 1;
    const auto start = Clock::now();
    auto current = counters_.get(key);
    if (!current) return failed(out, current.error());
    think(think_us);
    out.window_ns = ns_since(start);
    auto r = counters_.update(current.value(), set<&Counter::value>(current.value().value + 1));
    if (r) {
      out.committed = true;
    } else if (!is_conflict(r.error())) {
      return failed(out, r.error());
    }
    return out;
  }

  // The same read-modify-write, redone through optimist::retry until it commits.
  OpOutcome with_retry(std::int64_t key, std::int64_t think_us) {
    OpOutcome out;
    auto result = optimist::retry(policy_, [&]() -> optimist::Result<Counter> {
      const auto start = Clock::now();
      OPTIMIST_TRY(current, counters_.get(key));
      think(think_us);
      out.window_ns += ns_since(start);
      return counters_.update(current, set<&Counter::value>(current.value + 1));
    });
    out.attempts = result.attempts;
    if (result) {
      out.committed = true;
    } else if (!is_conflict(result.result.error())) {
      return failed(out, result.result.error());
    }
    return out;
  }

  // Lock, read, think, write, commit: a locking read inside a transaction. PostgreSQL locks
  // the row (SELECT ... FOR UPDATE); SQLite's BEGIN IMMEDIATE and the memory store's
  // transaction already lock every other writer out until commit.
  OpOutcome locked(std::int64_t key, std::int64_t think_us) {
    OpOutcome out;
    out.attempts = 1;
    const auto start = Clock::now();
    auto tx = counters_.store()->begin();
    if (!tx) return is_conflict(tx.error()) ? out : failed(out, tx.error());
    const auto in_tx = counters_.in(*tx.value());
    auto current = in_tx.get_for_update(key);
    if (!current) return is_conflict(current.error()) ? out : failed(out, current.error());
    think(think_us);
    auto r = in_tx.update(current.value(), set<&Counter::value>(current.value().value + 1));
    if (!r) return is_conflict(r.error()) ? out : failed(out, r.error());
    auto committed = tx.value()->commit();
    out.window_ns = ns_since(start);
    if (committed) {
      out.committed = true;
    } else if (!is_conflict(committed.error())) {
      return failed(out, committed.error());
    }
    return out;
  }

  // value = value + 1 in the data layer: no read, never stale.
  OpOutcome atomic(std::int64_t key) {
    OpOutcome out;
    out.attempts = 1;
    const optimist::Increment delta{value_column_, std::int64_t{1}};
    auto r = counters_.store()->increment(counters_.table(), "update", key,
                                          std::span<const optimist::Increment>(&delta, 1));
    if (r) {
      out.committed = true;
    } else if (!is_conflict(r.error())) {
      return failed(out, r.error());
    }
    return out;
  }

  static OpOutcome failed(OpOutcome out, const optimist::Error& e) {
    out.error = fmt::format("{}: {}", e.kind, e.message());
    return out;
  }

  Strategy strategy_;
  optimist::Resource<Counter> counters_;
  optimist::RetryPolicy policy_;
  std::size_t value_column_;
};

class OptimistTarget final : public Target {
 public:
  OptimistTarget(const Config& config, Strategy strategy, optimist::Resource<Counter> counters)
      : config_(config), strategy_(strategy), counters_(std::move(counters)) {
    const auto& columns = counters_.table().columns;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == "value") value_column_ = i;
    }
  }

  // On PostgreSQL a new, empty table file, as raw's (see empty_table). Elsewhere the rows
  // are left alone: every run destroys its counters, and on sqlite::memory: no other session
  // could reach them.
  bool reset(std::string& error) override {
    return config_.backend_kind != BackendKind::postgresql ||
           empty_table(config_, counters_.table().name, error);
  }

  std::vector<std::int64_t> create_counters(std::int64_t records, std::string& error) override {
    // In one transaction, as raw creates its counters.
    auto tx = counters_.store()->begin();
    if (!tx) {
      error = fmt::format("cannot create counters: {}", tx.error().message());
      return {};
    }
    const auto in_tx = counters_.in(*tx.value());
    std::vector<std::int64_t> keys;
    keys.reserve(static_cast<std::size_t>(records));
    for (std::int64_t i = 0; i < records; ++i) {
      auto c = in_tx.create(set<&Counter::name>(counter_name(i)));
      if (!c) {
        error = fmt::format("cannot create counters: {}", c.error().message());
        return {};
      }
      keys.push_back(c.value().id);
    }
    if (auto committed = tx.value()->commit(); !committed) {
      error = fmt::format("cannot create counters: {}", committed.error().message());
      return {};
    }
    return keys;
  }

  std::unique_ptr<Worker> worker(int /*index*/, std::string& /*error*/) override {
    return std::make_unique<OptimistWorker>(strategy_, counters_, config_.max_attempts,
                                            value_column_);
  }

  std::vector<CounterState> read_back(const std::vector<std::int64_t>& keys,
                                      std::string& error) override {
    std::vector<CounterState> states;
    states.reserve(keys.size());
    for (auto key : keys) {
      auto c = counters_.get(key);
      if (!c) {
        error = fmt::format("cannot read counter {} back: {}", key, c.error().message());
        return {};
      }
      states.push_back({c.value().value, c.value().version});
    }
    return states;
  }

  bool remove_counters(const std::vector<std::int64_t>& keys,
                       const std::vector<CounterState>& states, std::string& error) override {
    for (std::size_t i = 0; i < keys.size() && i < states.size(); ++i) {
      Counter c;
      c.id = keys[i];
      c.version = states[i].version;
      if (auto r = counters_.destroy(c); !r) {
        error = fmt::format("cannot remove counter {}: {}", keys[i], r.error().message());
        return false;
      }
    }
    return true;
  }

 private:
  Config config_;
  Strategy strategy_;
  optimist::Resource<Counter> counters_;
  std::size_t value_column_ = 0;
};

}  // namespace

std::unique_ptr<Target> open_target(const Config& config, const Variant& variant,
                                    std::string& error, bool& skipped) {
  const Strategy strategy = variant.strategy;
  skipped = false;
  if (strategy == Strategy::raw) {
    if (config.backend_kind == BackendKind::memory) {
      skipped = true;
      error = "raw: not applicable to memory: (there is no SQL to write by hand)";
      return nullptr;
    }
    if (lives_in_one_store(config)) {
      skipped = true;
      error =
          "raw: not applicable to sqlite::memory: (each of its sessions would open an "
          "empty database of its own)";
      return nullptr;
    }
    return open_raw_target(config, error);
  }
  // memory: a fresh store per run, so runs never see each other's counters. SQL: a pooled
  // connection per worker, as raw has a session per worker (a `pool` in the URL wins).
  optimist::Options options;
  options.pool_size = static_cast<std::size_t>(config.workers);
  options.group_commit = variant.group_commit;
  auto store = optimist::open(config.backend, options);
  if (!store) {
    error = fmt::format("cannot open {}: {}", config.backend, store.error().message());
    return nullptr;
  }
  auto counters = optimist::Resource<Counter>::open(std::move(store).value());
  if (!counters) {
    error = fmt::format("cannot register the counters on {}: {}", config.backend,
                        counters.error().message());
    return nullptr;
  }
  return std::make_unique<OptimistTarget>(config, strategy, std::move(counters).value());
}

}  // namespace bench
