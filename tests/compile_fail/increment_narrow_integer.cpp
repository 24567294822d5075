// SPDX-License-Identifier: MIT
// Atomic changes add in 64 bits: a 32-bit member could not read back a sum past its range.
#include <cstdint>
#include <optimist/optimist.hpp>

struct Gauge {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int32_t level = 0;
};

template <>
struct optimist::Definition<Gauge> {
  static constexpr auto resource = optimist::resource<Gauge>(
      "Gauge", "gauges", optimist::primary_key<&Gauge::id>("id"),
      optimist::version<&Gauge::version>("version"), optimist::attribute<&Gauge::level>("level"));
  using update = optimist::Update<"update", &Gauge::level>;
};

int main() {
  const optimist::Resource<Gauge> gauges{optimist::open("memory:").value()};
  return gauges.change(1, optimist::increment<&Gauge::level>(1)) ? 0 : 1;
}
