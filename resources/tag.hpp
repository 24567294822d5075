// SPDX-License-Identifier: MIT
// Tag: the labels of a posts-and-tags service, read by queries: a user's tags by name, the
// tags a form names, pages of them.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <optional>
#include <string>

namespace app {

struct Tag {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t owner_id = 0;
  std::string name;
  std::optional<std::string> color;  // none: the default color
  double weight = 1.0;
  bool pinned = false;
};

}  // namespace app

template <>
struct optimist::Definition<app::Tag> {
  using Tag = app::Tag;
  static constexpr auto resource = optimist::resource<Tag>(
      "Tag", "tags", optimist::primary_key<&Tag::id>("id"),
      optimist::version<&Tag::version>("version"), optimist::attribute<&Tag::owner_id>("owner_id"),
      optimist::attribute<&Tag::name>("name", {.required = true, .max_length = 100}),
      optimist::attribute<&Tag::color>("color"), optimist::attribute<&Tag::weight>("weight"),
      optimist::attribute<&Tag::pinned>("pinned"));

  using read = optimist::Read<"read">;
  // The listing a service exposes to dynamic queries (an HTTP query string): by owner, name
  // or color, sorted by name or weight, at most 50 a page, by name unless asked.
  using list =
      optimist::Read<"list", optimist::Filterable<&Tag::owner_id, &Tag::name, &Tag::color>,
                     optimist::Sortable<&Tag::name, &Tag::weight>,
                     optimist::DefaultOrder<optimist::asc<&Tag::name>>, optimist::MaxLimit<50>>;
  using create = optimist::Create<"create", &Tag::owner_id, &Tag::name, &Tag::color, &Tag::weight,
                                  &Tag::pinned>;
  using update = optimist::Update<"update", &Tag::name, &Tag::color, &Tag::weight, &Tag::pinned>;
  using destroy = optimist::Destroy<"destroy">;
};
