// SPDX-License-Identifier: MIT
// Changes that arrive as data: a decoded JSON body becomes an optimist::Input, and the
// action's accept list decides what it may set, field by field.
#include <fmt/format.h>

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>

#include "resources/profile.hpp"

using app::Profile;
using optimist::Value;

namespace {

void show(std::string_view what, const optimist::Result<Profile>& r) {
  if (r) {
    const Profile& p = r.value();
    fmt::print("{:<22} {} (version {}, age {}, admin {})\n", what, p.handle, p.version, p.age,
               p.admin);
    return;
  }
  fmt::print("{:<22} {}\n", what, r.error().kind);
  for (const auto& f : r.error().fields) {
    fmt::print("{:<22}   {}: {}\n", "", f.field, optimist::to_string(f.reason));
  }
}

}  // namespace

int main() {
  auto store = optimist::open("memory:").value();
  const optimist::Resource<Profile> profiles{store};

  // {"handle": "ann", "age": 34, "bio": null}, as a JSON decoder hands it over.
  const optimist::Input signup{
      {"handle", std::string("ann")}, {"age", Value{std::int64_t{34}}}, {"bio", Value{}}};
  auto ann = profiles.create_from(signup);
  show("sign-up", ann);

  // A form that also tries to grant itself admin rights and to pick its own version: every
  // refused field comes back at once, and nothing is written.
  show("tampered edit", profiles.update_from(ann.value(), {{"handle", std::string("anna")},
                                                           {"admin", Value{true}},
                                                           {"version", Value{std::int64_t{9}}},
                                                           {"age", Value{std::int64_t{1} << 40}},
                                                           {"shoe_size", Value{42.0}}}));
  show("honest edit", profiles.update_from(ann.value(), {{"handle", std::string("anna")}}));
  // The stored record moved on: the copy from sign-up is stale.
  show("edit of a stale copy",
       profiles.update_from(ann.value(), {{"age", Value{std::int64_t{35}}}}));
  return 0;
}
