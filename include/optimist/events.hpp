// SPDX-License-Identifier: MIT
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "optimist/result.hpp"

namespace optimist {

/// What happened to a record.
enum class EventKind { created, updated, destroyed };

/// "created", "updated" or "destroyed": the second segment of a topic.
[[nodiscard]] std::string_view to_string(EventKind kind) noexcept;
/// The kind's name, e.g. `updated`.
std::ostream& operator<<(std::ostream& os, EventKind kind);

/// One committed write to one record, delivered to subscribers after the commit.
struct Event {
  std::string resource;  ///< the resource name as defined, e.g. "Address"
  std::string action;    ///< the action that wrote, e.g. "update"
  std::string key_name;  ///< the primary key's column name, e.g. "id"
  std::int64_t key = 0;  ///< the record's primary key
  /// The version committed by the write; for `destroyed`, the version the record had
  /// when it was destroyed.
  std::int64_t version = 0;
  EventKind kind = EventKind::updated;  ///< created, updated or destroyed

  /// The event's topic: `<resource lower-cased>.<kind>.<key_name>:<key>`, e.g.
  /// `address.updated.id:42`.
  [[nodiscard]] std::string topic() const;
};

/// `{topic, action, version}`, e.g. `{address.updated.id:42, update, 3}`.
std::ostream& operator<<(std::ostream& os, const Event& event);

class Events;

namespace detail {
struct Subscriber;          // one subscription's pattern, handler and calls in flight
struct SubscriberRegistry;  // the subscriptions of one Events
}  // namespace detail

/// A live subscription, from Events::subscribe(). Destroying it (or calling cancel())
/// unsubscribes; once that returns, the handler is not running on any other thread and is
/// never called again. (Cancelling from inside the handler itself is allowed; the running
/// call finishes.) Move-only. Safe to destroy after the store that issued it.
class Subscription {
 public:
  Subscription() = default;
  Subscription(Subscription&& other) noexcept = default;
  /// Cancels this subscription (as cancel()), then takes over `other`'s.
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription();

  /// Unsubscribes now; does nothing when already cancelled. Thread-safe.
  void cancel() noexcept;
  /// True until cancel() (or a move from this object).
  [[nodiscard]] bool active() const noexcept { return entry_ != nullptr; }

 private:
  friend class Events;
  Subscription(std::weak_ptr<detail::SubscriberRegistry> registry,
               std::shared_ptr<detail::Subscriber> entry);

  std::weak_ptr<detail::SubscriberRegistry> registry_;
  std::shared_ptr<detail::Subscriber> entry_;
};

/// The after-commit notifier of one store: `store->events()`. Every data layer operation
/// that creates, updates (and changes a version) or destroys a record produces one Event:
/// a write through the store itself is delivered right after it completes; a write inside a
/// Transaction is held back and delivered only after that transaction commits, in the order
/// of its writes, and dropped if it rolls back, fails to commit, or is destroyed unfinished.
/// So a subscriber that reads the record, on any thread, sees at least the committed state.
///
/// Delivery is synchronous, on the committing thread, after the commit has finished (the
/// store is usable from the handler); the committing call returns after every handler ran.
/// Hand events to another thread through a queue if handlers are slow. Events of two
/// transactions committing at the same time may interleave. A handler that throws is
/// logged (warn) and affects neither the committer nor other subscribers. A subscription
/// receives the events of writes made after subscribe() returned.
///
/// Thread safety: subscribe and unsubscribe from any thread, at any time, including
/// from inside a handler. A handler may be called from several committing threads at once.
class Events {
 public:
  /// Called with each matching event, after its commit.
  using Handler = std::function<void(const Event&)>;

  /// A notifier without subscriptions that logs handlers' exceptions to `logger`. Stores
  /// make their own; see Store::events().
  explicit Events(std::shared_ptr<spdlog::logger> logger);
  ~Events();
  Events(const Events&) = delete;
  Events& operator=(const Events&) = delete;

  /// Calls `handler` for every event whose topic matches `pattern`: three dot-separated
  /// segments (resource lower-cased, kind, `key_name:key`), each either literal or `*` for
  /// any, e.g. `address.*.*`, `address.updated.id:42`, `*.*.*`.
  /// Errors: invalid (`fields` {"pattern", malformed}) for anything else.
  [[nodiscard]] Result<Subscription> subscribe(std::string_view pattern, Handler handler);

  /// True when at least one subscription is active; writes skip building events otherwise.
  [[nodiscard]] bool has_subscribers() const noexcept;

 private:
  friend class DataLayer;
  friend class Store;
  friend class Transaction;

  /// Delivers `events`, in order, to every matching subscription.
  void publish(const std::vector<Event>& events);

  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<detail::SubscriberRegistry> registry_;
};

}  // namespace optimist
