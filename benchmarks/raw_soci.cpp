// SPDX-License-Identifier: MIT
// The baseline: the same increments written by hand against SOCI, with no framework code
// on the path. Each worker opens its own session from the same URL and keeps its
// statements prepared, as a careful hand-written service would.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <thread>

#include "sql_session.hpp"
#include "target.hpp"

namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* table_sql =
    "CREATE TABLE IF NOT EXISTS bench_raw_counters (id bigint PRIMARY KEY, "
    "version bigint NOT NULL, name text NOT NULL, value bigint NOT NULL)";

/// Lock contention the caller should retry: SQLite busy; PostgreSQL serialization failure,
/// deadlock or lock not available.
bool is_transient(const soci::soci_error& e) {
  if (const auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    return (s->result() & 0xff) == 5 || (s->result() & 0xff) == 6;
  }
  if (const auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = p->sqlstate();
    return state == "40001" || state == "40P01" || state == "55P03";
  }
  return false;
}

class RawWorker final : public Worker {
 public:
  RawWorker(const SqlConnection& c, int max_attempts, int index)
      : max_attempts_(max_attempts), rng_(static_cast<unsigned>(index) * 7919U + 17U) {
    open_session(session_, c);
    // The whole record, as optimist's get reads it: the ratio then measures the framework's
    // code, not a narrower query.
    select_ = std::make_unique<soci::statement>(
        (session_.prepare
             << "SELECT id, version, name, value FROM bench_raw_counters WHERE id = :id",
         soci::into(id_), soci::into(version_), soci::into(name_), soci::into(value_),
         soci::use(key_)));
    update_ = std::make_unique<soci::statement>(
        (session_.prepare << "UPDATE bench_raw_counters SET value = :value, version = version + 1 "
                             "WHERE id = :id AND version = :version",
         soci::use(new_value_), soci::use(key_), soci::use(version_)));
  }

  ~RawWorker() override {
    update_.reset();
    select_.reset();
  }

  OpOutcome increment(std::int64_t key, std::int64_t think_us) override {
    OpOutcome out;
    key_ = key;
    for (int attempt = 1; attempt <= max_attempts_; ++attempt) {
      out.attempts = attempt;
      const auto start = Clock::now();
      try {
        select_->execute(true);
        const bool found = select_->got_data();
        while (select_->fetch()) {
        }
        if (!found) {
          out.error = "raw: counter " + std::to_string(key) + " not found";
          return out;
        }
        if (think_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(think_us));
        new_value_ = value_ + 1;
        out.window_ns += (Clock::now() - start) / std::chrono::nanoseconds(1);
        update_->execute(true);
        const bool committed = update_->get_affected_rows() == 1;
        if (committed) {
          out.committed = true;
          return out;
        }
      } catch (const soci::soci_error& e) {
        if (!is_transient(e)) {
          out.error = std::string("raw: ") + e.get_error_message();
          return out;
        }
      }
      // The same backoff as optimist::RetryPolicy's default, written out: a wait drawn from
      // [0, min(10 ms, 50 us * 2^(attempt - 1))].
      if (attempt < max_attempts_) {
        const std::int64_t cap =
            std::min<std::int64_t>(10'000, std::int64_t{50} << std::min(attempt - 1, 20));
        std::uniform_int_distribution<std::int64_t> pick(0, cap);
        std::this_thread::sleep_for(std::chrono::microseconds(pick(rng_)));
      }
    }
    return out;
  }

 private:
  soci::session session_;
  std::int64_t key_ = 0, id_ = 0, version_ = 0, value_ = 0, new_value_ = 0;
  std::string name_;
  std::unique_ptr<soci::statement> select_, update_;
  int max_attempts_;
  std::minstd_rand rng_;
};

class RawTarget final : public Target {
 public:
  RawTarget(SqlConnection c, int max_attempts) : c_(std::move(c)), max_attempts_(max_attempts) {
    open_session(admin_, c_);
    admin_ << table_sql;
  }

  bool reset(std::string& error) override {
    try {
      empty_table(admin_, c_, "bench_raw_counters");
      return true;
    } catch (const soci::soci_error& e) {
      error = std::string("raw: cannot empty the counters' table: ") + e.get_error_message();
      return false;
    }
  }

  std::vector<std::int64_t> create_counters(std::int64_t records, std::string& error) override {
    try {
      soci::transaction tx(admin_);
      std::int64_t id = 0;
      std::string name;
      soci::statement insert =
          (admin_.prepare << "INSERT INTO bench_raw_counters (id, version, name, value) "
                             "VALUES (:id, 1, :name, 0)",
           soci::use(id), soci::use(name));
      std::vector<std::int64_t> keys;
      for (id = 1; id <= records; ++id) {
        name = counter_name(id - 1);
        insert.execute(true);
        keys.push_back(id);
      }
      tx.commit();
      return keys;
    } catch (const soci::soci_error& e) {
      error = std::string("raw: cannot create counters: ") + e.get_error_message();
      return {};
    }
  }

  std::unique_ptr<Worker> worker(int index, std::string& error) override {
    try {
      return std::make_unique<RawWorker>(c_, max_attempts_, index);
    } catch (const soci::soci_error& e) {
      error = std::string("raw: cannot open a session: ") + e.get_error_message();
      return nullptr;
    }
  }

  std::vector<CounterState> read_back(const std::vector<std::int64_t>& keys,
                                      std::string& error) override {
    std::vector<CounterState> states;
    try {
      std::int64_t key = 0;
      CounterState state;
      soci::statement select =
          (admin_.prepare << "SELECT value, version FROM bench_raw_counters WHERE id = :id",
           soci::into(state.value), soci::into(state.version), soci::use(key));
      for (auto k : keys) {
        key = k;
        select.execute(true);
        if (!select.got_data()) {
          error = "raw: counter " + std::to_string(k) + " is gone";
          return {};
        }
        while (select.fetch()) {
        }
        states.push_back(state);
      }
    } catch (const soci::soci_error& e) {
      error = std::string("raw: cannot read the counters back: ") + e.get_error_message();
      return {};
    }
    return states;
  }

  bool remove_counters(const std::vector<std::int64_t>& /*keys*/,
                       const std::vector<CounterState>& /*states*/, std::string& error) override {
    try {
      admin_ << "DELETE FROM bench_raw_counters";
      return true;
    } catch (const soci::soci_error& e) {
      error = std::string("raw: cannot remove the counters: ") + e.get_error_message();
      return false;
    }
  }

 private:
  SqlConnection c_;
  int max_attempts_;
  soci::session admin_;
};

}  // namespace

std::unique_ptr<Target> open_raw_target(const Config& config, std::string& error) {
  try {
    return std::make_unique<RawTarget>(sql_connection(config), config.max_attempts);
  } catch (const soci::soci_error& e) {
    error = "cannot open " + config.backend + ": " + e.get_error_message();
    return nullptr;
  }
}

}  // namespace bench
