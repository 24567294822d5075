// SPDX-License-Identifier: MIT
// The after-commit notifier: subscriptions, topic matching and guarded delivery.
#include "optimist/events.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <exception>
#include <mutex>

namespace optimist {

namespace detail {

/// One subscription's pattern and handler, plus what unsubscribing needs to wait for the
/// calls in flight on other threads.
struct Subscriber {
  std::array<std::string, 3> segments;  // "*" matches anything
  Events::Handler handler;
  std::mutex mutex;
  std::condition_variable idle;
  int running = 0;  // calls in progress, on any thread
  bool active = true;
};

/// The subscriptions of one Events; a Subscription holds it weakly, so that it may outlive
/// its store.
struct SubscriberRegistry {
  std::mutex mutex;
  std::vector<std::shared_ptr<Subscriber>> entries;
  std::atomic<std::size_t> count{0};

  void remove(const std::shared_ptr<Subscriber>& entry) {
    std::lock_guard lock(mutex);
    auto it = std::find(entries.begin(), entries.end(), entry);
    if (it != entries.end()) {
      entries.erase(it);
      count.store(entries.size());
    }
  }
};

}  // namespace detail

namespace {

// The entries whose handler this thread is running now: a handler may cancel its own
// subscription without waiting for itself.
thread_local std::vector<const detail::Subscriber*> calling;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool matches(const std::string& segment, std::string_view value) {
  return segment == "*" || segment == value;
}

}  // namespace

std::string_view to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::created:
      return "created";
    case EventKind::updated:
      return "updated";
    case EventKind::destroyed:
      return "destroyed";
  }
  return "updated";
}

std::ostream& operator<<(std::ostream& os, EventKind kind) {
  return os << to_string(kind);
}

std::ostream& operator<<(std::ostream& os, const Event& event) {
  return os << '{' << event.topic() << ", " << event.action << ", " << event.version << '}';
}

std::string Event::topic() const {
  return fmt::format("{}.{}.{}:{}", lower(resource), to_string(kind), key_name, key);
}

Subscription::Subscription(std::weak_ptr<detail::SubscriberRegistry> registry,
                           std::shared_ptr<detail::Subscriber> entry)
    : registry_(std::move(registry)), entry_(std::move(entry)) {}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    cancel();
    registry_ = std::move(other.registry_);
    entry_ = std::move(other.entry_);
  }
  return *this;
}

Subscription::~Subscription() {
  cancel();
}

void Subscription::cancel() noexcept {
  if (!entry_) return;
  if (auto registry = registry_.lock()) registry->remove(entry_);
  {
    const auto mine = std::count(calling.begin(), calling.end(), entry_.get());
    std::unique_lock lock(entry_->mutex);
    entry_->active = false;
    entry_->idle.wait(lock, [&] { return entry_->running == mine; });
  }
  entry_.reset();
  registry_.reset();
}

Events::Events(std::shared_ptr<spdlog::logger> logger)
    : logger_(std::move(logger)), registry_(std::make_shared<detail::SubscriberRegistry>()) {}

Events::~Events() = default;

Result<Subscription> Events::subscribe(std::string_view pattern, Handler handler) {
  auto entry = std::make_shared<detail::Subscriber>();
  std::size_t n = 0;
  std::size_t start = 0;
  bool ok = static_cast<bool>(handler);
  while (ok) {
    const std::size_t dot = pattern.find('.', start);
    const std::string_view segment =
        pattern.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (segment.empty() || n == entry->segments.size()) {
      ok = false;
      break;
    }
    entry->segments[n++] = std::string(segment);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!ok || n != entry->segments.size()) {
    Error e = make_error(ErrorKind::invalid,
                         "a pattern has three dot-separated segments, each a literal or *");
    e.fields.push_back({"pattern", FieldReason::malformed});
    return e;
  }
  entry->handler = std::move(handler);
  {
    std::lock_guard lock(registry_->mutex);
    registry_->entries.push_back(entry);
    registry_->count.store(registry_->entries.size());
  }
  return Subscription(registry_, std::move(entry));
}

bool Events::has_subscribers() const noexcept {
  return registry_->count.load() > 0;
}

void Events::publish(const std::vector<Event>& events) {
  if (events.empty() || !has_subscribers()) return;
  std::vector<std::shared_ptr<detail::Subscriber>> entries;
  {
    std::lock_guard lock(registry_->mutex);
    entries = registry_->entries;
  }
  for (const Event& event : events) {
    const std::string resource = lower(event.resource);
    const std::string key = fmt::format("{}:{}", event.key_name, event.key);
    for (const auto& entry : entries) {
      if (!matches(entry->segments[0], resource) ||
          !matches(entry->segments[1], to_string(event.kind)) ||
          !matches(entry->segments[2], key)) {
        continue;
      }
      {
        std::lock_guard lock(entry->mutex);
        if (!entry->active) continue;
        ++entry->running;
      }
      calling.push_back(entry.get());
      try {
        entry->handler(event);
      } catch (const std::exception& e) {
        logger_->warn("a subscriber to {} threw on {}: {}", fmt::join(entry->segments, "."),
                      event.topic(), e.what());
      } catch (...) {
        logger_->warn("a subscriber to {} threw on {}", fmt::join(entry->segments, "."),
                      event.topic());
      }
      calling.pop_back();
      {
        std::lock_guard lock(entry->mutex);
        --entry->running;
      }
      entry->idle.notify_all();
    }
  }
}

}  // namespace optimist
