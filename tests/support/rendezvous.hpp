// SPDX-License-Identifier: MIT
// Certain contention without sleeps: at chosen iterations every worker thread stops between
// its read and its write until all have read, so all but one of their writes are stale.
#pragma once

#include <barrier>

namespace optimist::testing {

class Rendezvous {
 public:
  /// `threads` workers that each run the same number of iterations; they meet on every
  /// `every`-th one.
  Rendezvous(int threads, int every) : barrier_(threads), every_(every) {}

  /// Call between the read and the write; `attempt` 0 is the first try of `iteration`.
  void between_read_and_write(int iteration, int attempt) {
    if (attempt == 0 && iteration % every_ == 0) barrier_.arrive_and_wait();
  }

  /// Call when a worker stops early, so that the others do not wait for it.
  void leave() { barrier_.arrive_and_drop(); }

 private:
  std::barrier<> barrier_;
  int every_;
};

}  // namespace optimist::testing
