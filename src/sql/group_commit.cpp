// SPDX-License-Identifier: MIT
#include "sql/group_commit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "sql/sql_store.hpp"
#include "sql/transaction.hpp"

namespace optimist::sql {

/// One queued call: exactly one of `statement` and `work` is set.
struct GroupCommit::Call {
  const StatementWork* statement = nullptr;
  const std::function<Result<void>(Transaction&)>* work = nullptr;
  SqlTransaction* tx = nullptr;  // with work
  Result<void> outcome = ok();
  std::exception_ptr thrown;
  bool done = false;
};

namespace {

// The group this thread is running, while it runs one: a write through the store from inside
// it would wait for itself.
thread_local const GroupCommit* running_group = nullptr;

Error group_failure(const Error& cause) {
  return make_error(ErrorKind::unavailable,
                    fmt::format("group commit failed: {}",
                                cause.detail.empty() ? cause.kind.name : cause.detail));
}

detail::ErrorBox write_inside_group() {
  return make_error(ErrorKind::unavailable,
                    "a write through the store from work running in a group's transaction "
                    "(write through the transaction)");
}

// A statement failing so leaves the group's transaction in doubt: roll the group back.
bool spoils(ErrorKind kind) {
  return kind == ErrorKind::unavailable || kind == ErrorKind::internal;
}

}  // namespace

GroupCommit::GroupCommit(SqlStore& store, Operations& ops, std::size_t max_size,
                         std::chrono::microseconds wait)
    : store_(store), ops_(ops), max_size_(std::max<std::size_t>(max_size, 1)), wait_(wait) {}

Result<void> GroupCommit::statement(StatementWork work) {
  if (running_group == this) return write_inside_group();
  Call call;
  call.statement = &work;
  submit(call);
  return std::move(call.outcome);
}

Result<void> GroupCommit::transaction(SqlTransaction& tx,
                                      const std::function<Result<void>(Transaction&)>& work) {
  if (running_group == this) return write_inside_group();
  Call call;
  call.work = &work;
  call.tx = &tx;
  submit(call);
  if (call.thrown) {
    (void)tx.rollback();
    std::rethrow_exception(call.thrown);
  }
  if (!call.outcome) {
    (void)tx.rollback();
    return std::move(call.outcome);
  }
  return tx.commit();  // delivers its events, now that the group is durable; aborted if so
}

std::size_t GroupCommit::queued() {
  const std::lock_guard lock(mutex_);
  return queue_.size();
}

void GroupCommit::submit(Call& call) {
  std::unique_lock lock(mutex_);
  queue_.push_back(&call);
  if (leading_) arrived_.notify_one();
  while (!call.done) {
    if (leading_) {
      settled_.wait(lock);
      continue;
    }
    leading_ = true;
    running_group = this;
    const std::vector<Call*> calls = lead(lock);
    running_group = nullptr;
    for (Call* c : calls) c->done = true;
    writers_ = calls.size() + queue_.size();
    leading_ = false;
    settled_.notify_all();
  }
}

void GroupCommit::take(std::vector<Call*>& calls) {
  const std::size_t n = std::min(queue_.size(), max_size_ - calls.size());
  calls.insert(calls.end(), queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
}

std::vector<GroupCommit::Call*> GroupCommit::lead(std::unique_lock<std::mutex>& lock) {
  const std::size_t expected = std::min(writers_, max_size_);
  std::vector<Call*> calls;
  take(calls);
  lock.unlock();

  if (calls.size() == 1 && expected <= 1 && calls.front()->statement != nullptr) {
    Call& alone = *calls.front();
    alone.outcome = store_.with_connection<void>([&](Connection& c) -> Result<void> {
      (void)(*alone.statement)(c);  // its outcome stays with its caller
      return ok();
    });
    lock.lock();
    return calls;
  }

  auto leased = store_.acquire();
  if (!leased) {
    const Error failed = group_failure(leased.error());
    lock.lock();
    for (Call* call : calls) call->outcome = failed;
    return calls;
  }
  Connection& c = *leased.value();
  std::optional<Error> spoiled;
  if (auto begun = ops_.control(c, Op::begin); !begun) spoiled = begun.error();
  // Runs the calls taken so far, and takes those that arrive while the writers of the last
  // group come back (at most wait_, at most max_size_).
  const auto deadline = std::chrono::steady_clock::now() + wait_;
  for (std::size_t ran = 0;;) {
    for (; ran < calls.size() && !spoiled; ++ran) run(*calls[ran], c, spoiled);
    lock.lock();
    if (spoiled || calls.size() == max_size_) break;
    if (queue_.empty() && (calls.size() >= expected ||
                           !arrived_.wait_until(lock, deadline, [&] { return !queue_.empty(); }))) {
      break;
    }
    take(calls);
    lock.unlock();
  }
  lock.unlock();

  Result<void> committed = spoiled ? Result<void>(*spoiled) : ops_.control(c, Op::commit);
  if (!committed) {
    // Whatever the database still holds of the group goes: nothing of it is visible.
    if (!c.broken && !ops_.control(c, Op::rollback)) c.broken = true;
    const Error failed = group_failure(committed.error());
    for (Call* call : calls) {
      if (!call->thrown) call->outcome = failed;
    }
  }
  store_.logger()->debug("group commit calls={} -> {}", calls.size(),
                         committed ? std::string_view("ok") : committed.error().kind.name);
  store_.release(&c);
  lock.lock();
  return calls;
}

void GroupCommit::run(Call& call, Connection& c, std::optional<Error>& spoiled) {
  if (call.statement != nullptr) {
    auto r = (*call.statement)(c);
    if (!r && spoils(r.error().kind)) spoiled = r.error();
    return;
  }
  SqlTransaction& tx = *call.tx;
  if (auto opened = tx.open_in(c); !opened) {
    spoiled = opened.error();
    return;
  }
  try {
    call.outcome = (*call.work)(tx);
  } catch (...) {
    call.thrown = std::current_exception();
  }
  const bool keep = !call.thrown && call.outcome && !tx.aborted();
  if (auto closed = tx.close(keep); !closed) spoiled = closed.error();
}

}  // namespace optimist::sql
