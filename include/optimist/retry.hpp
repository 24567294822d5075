// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <random>
#include <thread>
#include <type_traits>
#include <utility>

#include "optimist/error.hpp"
#include "optimist/result.hpp"

namespace optimist {

/// How optimist::retry() re-runs a read-modify-write that lost a race.
///
/// Before attempt n + 1 (n >= 1) retry() waits a random time in [0, cap(n)] where
/// cap(n) = min(max_backoff, initial_backoff * multiplier^(n - 1)): exponential backoff
/// with "full" jitter, so that workers that collided once do not collide again in step.
/// A zero initial_backoff never waits (useful in tests and for in-memory stores).
struct RetryPolicy {
  /// Attempts in all, the first included; at least 1 (smaller values count as 1).
  int max_attempts = 10;
  /// The cap of the first wait.
  std::chrono::microseconds initial_backoff{50};
  /// No wait is longer than this.
  std::chrono::microseconds max_backoff{10'000};
  /// Growth of the cap per further attempt.
  double multiplier = 2.0;

  /// A policy that retries up to `max_attempts` times without ever waiting.
  [[nodiscard]] static constexpr RetryPolicy immediate(int max_attempts) {
    return RetryPolicy{.max_attempts = max_attempts,
                       .initial_backoff = std::chrono::microseconds{0},
                       .max_backoff = std::chrono::microseconds{0},
                       .multiplier = 1.0};
  }
};

/// What retry() returns: the Result of the last attempt and how many attempts ran.
template <class T>
struct RetryOutcome {
  Result<T> result;
  int attempts = 0;  ///< 1 when the first attempt settled it

  /// True when the last attempt succeeded.
  [[nodiscard]] explicit operator bool() const noexcept { return result.has_value(); }
};

/// True for the error kinds retry() re-runs: `stale_record` (the callable reloads and
/// redoes its change) and `unavailable` (transient: busy, deadlock, lost connection).
[[nodiscard]] inline bool is_retryable(const Error& error) noexcept {
  return error.kind == ErrorKind::stale_record || error.kind == ErrorKind::unavailable;
}

/// The cap of the wait before attempt `failed_attempts + 1`, as described at RetryPolicy.
[[nodiscard]] inline std::chrono::microseconds backoff_cap(const RetryPolicy& policy,
                                                           int failed_attempts) {
  if (policy.initial_backoff.count() <= 0 || failed_attempts < 1) {
    return std::chrono::microseconds{0};
  }
  double cap = static_cast<double>(policy.initial_backoff.count());
  const double limit = static_cast<double>(policy.max_backoff.count());
  for (int i = 1; i < failed_attempts && cap < limit; ++i) cap *= policy.multiplier;
  return std::chrono::microseconds{static_cast<std::int64_t>(std::min(cap, limit))};
}

/// A wait drawn uniformly from [0, backoff_cap(policy, failed_attempts)] with `rng`.
template <std::uniform_random_bit_generator Rng>
[[nodiscard]] std::chrono::microseconds backoff_delay(const RetryPolicy& policy,
                                                      int failed_attempts, Rng& rng) {
  const auto cap = backoff_cap(policy, failed_attempts);
  if (cap.count() <= 0) return cap;
  std::uniform_int_distribution<std::int64_t> pick(0, cap.count());
  return std::chrono::microseconds{pick(rng)};
}

namespace detail {
template <class R>
struct RetryValue {
  static constexpr bool is_result = false;
  using type = void;
};
template <class T>
struct RetryValue<Result<T>> {
  static constexpr bool is_result = true;
  using type = T;
};

inline std::minstd_rand& retry_rng() {
  thread_local std::minstd_rand rng{std::random_device{}()};
  return rng;
}

template <class F>
decltype(auto) call_attempt(F& f, int attempt) {
  if constexpr (std::invocable<F&, int>) {
    return f(attempt);
  } else {
    return f();
  }
}
}  // namespace detail

/// Runs `attempt` (a callable returning some optimist::Result<T>, called with no argument
/// or with the 1-based attempt number) until it succeeds, fails with a kind that
/// is_retryable() refuses, or `policy.max_attempts` attempts have run; waits between
/// attempts as the policy says. The callable must do the whole read-modify-write: reload
/// the record, recompute the change, write it.
///
///   auto out = optimist::retry(policy, [&]() -> optimist::Result<Counter> {
///     OPTIMIST_TRY(c, counters.get(id));
///     return counters.update(c, set<&Counter::value>(c.value + 1));
///   });
///   // out.result: the last Result; out.attempts: how many ran
///
/// (A lambda that uses OPTIMIST_TRY names its return type: OPTIMIST_TRY returns the error
/// alone, which is not a Result, so `auto` would deduce two types.)
///
/// Returns the last attempt's Result unchanged (so its error kinds are the callable's) and
/// the number of attempts. Thread-safe as long as the callable is; the jitter uses a
/// per-thread generator.
template <class F>
[[nodiscard]] auto retry(const RetryPolicy& policy, F&& attempt) {
  using R = std::remove_cvref_t<decltype(detail::call_attempt(attempt, 1))>;
  static_assert(detail::RetryValue<R>::is_result,
                "optimist: retry() needs a callable that returns an optimist::Result<T>; with "
                "OPTIMIST_TRY inside a lambda, name the type: [&]() -> optimist::Result<T> {...}");
  using T = typename detail::RetryValue<R>::type;
  const int max_attempts = std::max(policy.max_attempts, 1);
  int n = 1;
  for (;; ++n) {
    R r = detail::call_attempt(attempt, n);
    if (r || !is_retryable(r.error()) || n >= max_attempts) {
      return RetryOutcome<T>{std::move(r), n};
    }
    if (const auto wait = backoff_delay(policy, n, detail::retry_rng()); wait.count() > 0) {
      std::this_thread::sleep_for(wait);
    }
  }
}

}  // namespace optimist
