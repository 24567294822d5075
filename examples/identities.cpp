// SPDX-License-Identifier: MIT
// Identities (resources/tag.hpp): each owner names a tag once, and gives a slug to one tag at
// most. A create or update that would repeat one is a conflict naming the identity, and
// writes nothing; a tag without a slug never clashes on it.
#include <fmt/format.h>

#include "resources/tag.hpp"

int main() {
  using app::Tag;
  using optimist::set;
  auto store = optimist::open("memory:").value();
  const optimist::Resource<Tag> tags{store};

  auto show = [](std::string_view what, const optimist::Result<Tag>& r) {
    if (r) {
      fmt::print("{:<30} tag {} (owner {}, {})\n", what, r.value().id, r.value().owner_id,
                 r.value().name);
    } else {
      fmt::print("{:<30} {} on {}\n", what, r.error().kind, r.error().constraint);
    }
  };
  show("owner 1 names a tag red",
       tags.create(set<&Tag::owner_id>(1), set<&Tag::name>("red"), set<&Tag::slug>("red")));
  show("owner 2 does too", tags.create(set<&Tag::owner_id>(2), set<&Tag::name>("red")));
  show("owner 1 again", tags.create(set<&Tag::owner_id>(1), set<&Tag::name>("red")));
  const Tag blue = tags.create_or_throw(set<&Tag::owner_id>(1), set<&Tag::name>("blue"));
  show("owner 1 adds blue, no slug", blue);
  show("owner 1 adds green, no slug",
       tags.create(set<&Tag::owner_id>(1), set<&Tag::name>("green")));
  show("renaming blue to red", tags.update(blue, set<&Tag::name>("red")));
  show("giving blue red's slug", tags.update(blue, set<&Tag::slug>("red")));
  show("owner 1's tag named blue", tags.get_by<"by_owner_and_name">(1, "blue"));
  show("owner 3's tag named blue", tags.get_by<"by_owner_and_name">(3, "blue"));
  return 0;
}
