// SPDX-License-Identifier: MIT
// The tags of a posts-and-tags service, read by queries: the tags a form names, a user's
// tags page by page, a listing from a query string checked against its read action.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "resources/tag.hpp"

using app::Tag;
using optimist::asc;
using optimist::desc;
using optimist::eq;
using optimist::in;
using optimist::Query;
using optimist::set;
using optimist::starts_with;

namespace {

/// The tags of `owner` whose names a post's form lists, in one query: `in` binds every name
/// as a value.
optimist::Result<std::vector<Tag>> tags_named(const optimist::Resource<Tag>& tags,
                                              std::int64_t owner,
                                              const std::vector<std::string>& names) {
  return tags.all(
      Query<Tag>(eq<&Tag::owner_id>(owner) && in<&Tag::name>(names)).order_by(asc<&Tag::name>));
}

/// A read action of the service's own: the owner's pinned tags, heaviest first. Its where()
/// is added to every query made through it.
struct Pinned : optimist::Read<"pinned", optimist::DefaultOrder<desc<&Tag::weight>>> {
  static optimist::Where<Tag> where() { return eq<&Tag::pinned>(true); }
};

}  // namespace

int main() {
  auto store = optimist::open("memory:").value();
  const optimist::Resource<Tag> tags{store};
  for (const char* name : {"cpp", "rust", "go", "c", "cobol", "ada"}) {
    tags.create_or_throw(set<&Tag::owner_id>(1), set<&Tag::name>(name),
                         set<&Tag::pinned>(name[0] == 'c'),
                         set<&Tag::weight>(name[1] == 'o' ? 2.0 : 1.0));
  }

  // The form names three tags, one of which does not exist.
  const std::vector<Tag> named = tags_named(tags, 1, {"rust", "go", "java"}).value();
  for (const Tag& t : named) {
    fmt::print("named: {}\n", t.name);
  }

  // Keyset pages: each page carries the cursor of the next; deep pages cost what the first
  // does, and records created or destroyed in between never shift a page.
  const auto by_name = Query<Tag>(starts_with<&Tag::name>("c")).order_by(asc<&Tag::name>).limit(2);
  std::string cursor;
  do {
    auto page = tags.page(by_name, cursor).value();
    for (const Tag& t : page.records) fmt::print("page: {}\n", t.name);
    cursor = page.next.value_or("");
  } while (!cursor.empty());

  fmt::print("pinned first: {}\n", tags.all<Pinned>().value().front().name);
  fmt::print("{} tags, cobol exists: {}\n", tags.count().value(),
             tags.exists(eq<&Tag::name>("cobol")).value());

  // A listing from a query string (?owner_id=1&sort=-weight&limit=2), decoded by the service
  // into a QueryInput: only what the `list` action declares is accepted.
  optimist::QueryInput input;
  input.where = {{"owner_id", optimist::Compare::eq, {std::int64_t{1}}}};
  input.order = {{"weight", true}};
  input.limit = 2;
  auto listing = tags.page_from<optimist::Definition<Tag>::list>(input).value();
  fmt::print("listing: {} then {}\n", listing.records[0].name, listing.records[1].name);
  input.where = {{"pinned", optimist::Compare::eq, {true}}};  // not Filterable
  fmt::print("by pinned: {}\n", tags.page_from<optimist::Definition<Tag>::list>(input).error());
  return 0;
}
