// SPDX-License-Identifier: MIT
// A subscriber told about committed changes only: a worker thread reads each record it is
// told about and always finds the committed state.
#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "resources/address.hpp"

using app::Address;
using optimist::set;

int main() {
  auto store = optimist::open("memory:").value();
  const optimist::Resource<Address> addresses{store};

  // Handlers run on the committing thread, after the commit: keep them short and hand the
  // work to a thread of your own.
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::optional<optimist::Event>> queue;  // nullopt: stop
  auto subscription = store->events()
                          .subscribe("address.*.*",
                                     [&](const optimist::Event& event) {
                                       std::lock_guard lock(mutex);
                                       queue.emplace_back(event);
                                       ready.notify_one();
                                     })
                          .value();

  std::jthread worker([&] {
    while (true) {
      std::optional<optimist::Event> event;
      {
        std::unique_lock lock(mutex);
        ready.wait(lock, [&] { return !queue.empty(); });
        event = std::move(queue.front());
        queue.pop_front();
      }
      if (!event) return;
      const auto stored = addresses.get(event->key);
      fmt::print("{} (version {}): {}\n", event->topic(), event->version,
                 stored ? fmt::format("{} {}", stored.value().state, stored.value().county)
                        : std::string(stored.error().kind.name));
    }
  });

  auto address =
      addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  {
    auto tx = store->begin().value();
    (void)addresses.in(*tx).update_or_throw(address, set<&Address::state>("NC"),
                                            set<&Address::county>("Guilford"));
    tx->rollback().value();  // rolled back: nobody is told
  }
  {
    auto tx = store->begin().value();
    address = addresses.in(*tx).update_or_throw(address, set<&Address::county>("Dade"));
    tx->commit().value();  // delivered now, after the commit
  }

  {
    std::lock_guard lock(mutex);
    queue.emplace_back(std::nullopt);
    ready.notify_one();
  }
  worker.join();
  subscription.cancel();
  return 0;
}
