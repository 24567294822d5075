// SPDX-License-Identifier: MIT
// Gauge: a reading that atomic changes move, with a flag and two nullable attributes; the
// resource whose floating-point, boolean and optional columns the differential test covers.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <optional>
#include <string>

namespace test_app {

struct Gauge {
  std::int64_t id = 0;
  std::int64_t version = 1;
  double reading = 0;
  bool active = false;
  std::optional<std::string> note;
  std::optional<std::int64_t> limit;
};

}  // namespace test_app

template <>
struct optimist::Definition<test_app::Gauge> {
  using Gauge = test_app::Gauge;
  static constexpr auto resource =
      optimist::resource<Gauge>("Gauge", "gauges", optimist::primary_key<&Gauge::id>("id"),
                                optimist::version<&Gauge::version>("version"),
                                optimist::attribute<&Gauge::reading>("reading"),
                                optimist::attribute<&Gauge::active>("active"),
                                optimist::attribute<&Gauge::note>("note", {.max_length = 20}),
                                optimist::attribute<&Gauge::limit>("limit"));

  using read = optimist::Read<"read">;
  using create =
      optimist::Create<"create", &Gauge::reading, &Gauge::active, &Gauge::note, &Gauge::limit>;
  using update =
      optimist::Update<"update", &Gauge::reading, &Gauge::active, &Gauge::note, &Gauge::limit>;
  using destroy = optimist::Destroy<"destroy">;
};
