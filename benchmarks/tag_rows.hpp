// SPDX-License-Identifier: MIT
// The Tag records the query benchmarks read (resources/tag.hpp): the same deterministic
// values on every store, so that optimist and the hand-written baselines read the same rows.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>

#include "resources/tag.hpp"

namespace bench {

/// Tag number `i` (0-based) of a table whose records belong to `owners` owners in turn:
/// owner i % owners + 1, so that each owner's tags are spread over the whole table. Names are
/// longer than a std::string's inline buffer (reading one allocates, as real names do); a
/// third of the colors are NULL.
inline app::Tag tag_row(std::int64_t i, std::int64_t owners) {
  app::Tag t;
  t.owner_id = i % owners + 1;
  t.name = fmt::format("owner-{:04}-tag-{:06}", t.owner_id, i);
  if (i % 3 != 0)
    t.color = fmt::format("#{:06x}", (static_cast<std::uint64_t>(i) * 2654435761U) & 0xFFFFFFU);
  t.weight = 1.0 + static_cast<double>(i % 7) * 0.5;
  t.pinned = i % 11 == 0;
  return t;
}

/// Creates tags 0 .. count - 1 (tag_row) through `tags`, in one transaction of `store`.
/// Throws optimist::Exception on error.
inline void create_tags(optimist::Store& store, const optimist::Resource<app::Tag>& tags,
                        std::int64_t count, std::int64_t owners) {
  auto tx = store.begin().value();
  const auto in = tags.in(*tx);
  for (std::int64_t i = 0; i < count; ++i) {
    app::Tag t = tag_row(i, owners);
    in.create_or_throw(optimist::set<&app::Tag::owner_id>(t.owner_id),
                       optimist::set<&app::Tag::name>(std::move(t.name)),
                       optimist::set<&app::Tag::color>(std::move(t.color)),
                       optimist::set<&app::Tag::weight>(t.weight),
                       optimist::set<&app::Tag::pinned>(t.pinned));
  }
  tx->commit().value();
}

}  // namespace bench
