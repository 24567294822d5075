// SPDX-License-Identifier: MIT
// The SQL store's connection pool: leasing, waiting for, (re)connecting and releasing the
// pooled connections. The operations on a leased connection live in operations.cpp.
#include <atomic>
#include <chrono>
#include <mutex>

#include "sql/sql_store.hpp"

namespace optimist::sql {

void Connection::clear_statements() noexcept {
  recent = {};
  cache.clear();
  queries.clear();
}

void Connection::reset() noexcept {
  clear_statements();  // first: statements refer to the session
  session.reset();
}

namespace {

std::atomic<std::uint64_t> next_store_id{1};

// The slot this thread leased last, per store id: where its next lease starts looking.
struct LastLease {
  std::uint64_t store = 0;
  std::size_t slot = 0;
};
thread_local LastLease last_lease;

}  // namespace

SqlStore::SqlStore(std::shared_ptr<spdlog::logger> logger, std::unique_ptr<Connector> connector,
                   PoolSettings pool)
    : Store(std::move(logger)),
      connector_(std::move(connector)),
      pool_(pool),
      id_(next_store_id.fetch_add(1)),
      slots_(new Connection[pool.size]) {
  if (pool.group_size > 0) {
    group_ = std::make_unique<GroupCommit>(*this, ops_, pool.group_size, pool.group_wait);
  }
}

SqlStore::~SqlStore() {
  for (std::size_t i = 0; i < pool_.size; ++i) slots_[i].reset();
}

Result<std::shared_ptr<Store>> SqlStore::open(std::shared_ptr<spdlog::logger> logger,
                                              std::unique_ptr<Connector> connector,
                                              PoolSettings pool) {
  if (pool.size == 0) pool.size = 1;
  auto store = std::make_shared<SqlStore>(std::move(logger), std::move(connector), pool);
  OPTIMIST_TRY(c, store->acquire());  // connect now: a wrong address fails at open
  store->release(c);
  return std::shared_ptr<Store>(std::move(store));
}

Connection* SqlStore::try_lease() noexcept {
  const std::size_t n = pool_.size;
  const std::size_t start = last_lease.store == id_ ? last_lease.slot : 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (start + k) % n;
    Connection& c = slots_[i];
    if (!c.leased.load(std::memory_order_relaxed) && !c.leased.exchange(true)) {
      last_lease = {id_, i};
      return &c;
    }
  }
  return nullptr;
}

Result<Connection*> SqlStore::acquire() {
  Connection* c = try_lease();
  if (c == nullptr) {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + pool_.wait;
    ++waiters_;
    while ((c = try_lease()) == nullptr) {
      if (freed_.wait_until(lock, deadline) == std::cv_status::timeout &&
          (c = try_lease()) == nullptr) {
        --waiters_;
        return make_error(ErrorKind::unavailable,
                          "no pooled connection became free in time (all held by other calls "
                          "or transactions)");
      }
    }
    --waiters_;
  }
  const std::uint64_t losses = losses_.load(std::memory_order_relaxed);
  if (c->broken || !c->session || c->generation != losses) {
    c->reset();
    try {
      c->session = connector_->connect();
      c->broken = false;
      c->generation = losses;
    } catch (const soci::soci_error& e) {
      Translated t = connector_->translate(connector_->describe(e, nullptr));
      c->reset();
      c->broken = true;
      release(c);
      return std::move(t.error);
    } catch (const std::exception&) {
      c->reset();
      c->broken = true;
      release(c);
      return unexpected_failure();
    }
  }
  return c;
}

Connection* SqlStore::ready_lease() noexcept {
  Connection* c = try_lease();
  if (c != nullptr &&
      (c->broken || !c->session || c->generation != losses_.load(std::memory_order_relaxed))) {
    release(c);
    return nullptr;
  }
  return c;
}

void SqlStore::release(Connection* c) noexcept {
  c->leased.store(false);
  if (waiters_.load() > 0) {
    // Taking the mutex orders this notification after a waiter's failed look at the slots.
    std::lock_guard lock(mutex_);
    freed_.notify_one();
  }
}

}  // namespace optimist::sql
