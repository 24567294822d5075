// SPDX-License-Identifier: MIT
// Counter: one number many workers bump; the resource of the concurrency tests and benchmarks.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>

namespace app {

struct Counter {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string name;
  std::int64_t value = 0;
};

}  // namespace app

template <>
struct optimist::Definition<app::Counter> {
  using Counter = app::Counter;
  static constexpr auto resource =
      optimist::resource<Counter>("Counter", "counters", optimist::primary_key<&Counter::id>("id"),
                                  optimist::version<&Counter::version>("version"),
                                  optimist::attribute<&Counter::name>("name", {.max_length = 100}),
                                  optimist::attribute<&Counter::value>("value"));

  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Counter::name, &Counter::value>;
  using update = optimist::Update<"update", &Counter::value>;
  using destroy = optimist::Destroy<"destroy">;
};
