// SPDX-License-Identifier: MIT
// Tag: a label its owner gives to posts, in a posts-and-tags service. Two identities: an owner
// names each tag once, and gives each slug (optional) to one tag at most. Read by queries: a
// user's tags by name, the tags a form names, pages of them.
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
  std::optional<std::string> slug;   ///< the tag in URLs; a tag without one has none to clash
  std::optional<std::string> color;  ///< none: the default color
  double weight = 1.0;
  bool pinned = false;

  friend bool operator==(const Tag&, const Tag&) = default;
};

}  // namespace app

template <>
struct optimist::Definition<app::Tag> {
  using Tag = app::Tag;
  static constexpr auto resource = optimist::resource<Tag>(
      "Tag", "tags", optimist::primary_key<&Tag::id>("id"),
      optimist::version<&Tag::version>("version"), optimist::attribute<&Tag::owner_id>("owner_id"),
      optimist::attribute<&Tag::name>("name", {.required = true, .max_length = 100}),
      optimist::attribute<&Tag::slug>("slug", {.max_length = 32}),
      optimist::attribute<&Tag::color>("color"), optimist::attribute<&Tag::weight>("weight"),
      optimist::attribute<&Tag::pinned>("pinned"),
      optimist::identity<"by_owner_and_name", &Tag::owner_id, &Tag::name>(),
      optimist::identity<"by_owner_and_slug", &Tag::owner_id, &Tag::slug>());

  using read = optimist::Read<"read">;
  // The listing a service exposes to dynamic queries (an HTTP query string): by owner, name
  // or color, sorted by name or weight, at most 50 a page, by name unless asked.
  using list =
      optimist::Read<"list", optimist::Filterable<&Tag::owner_id, &Tag::name, &Tag::color>,
                     optimist::Sortable<&Tag::name, &Tag::weight>,
                     optimist::DefaultOrder<optimist::asc<&Tag::name>>, optimist::MaxLimit<50>>;
  using create = optimist::Create<"create", &Tag::owner_id, &Tag::name, &Tag::slug, &Tag::color,
                                  &Tag::weight, &Tag::pinned>;
  // An owner may hand a tag to another (owner_id), also as an atomic change in tests.
  using update = optimist::Update<"update", &Tag::owner_id, &Tag::name, &Tag::slug, &Tag::color,
                                  &Tag::weight, &Tag::pinned>;
  using destroy = optimist::Destroy<"destroy">;
};
