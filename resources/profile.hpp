// SPDX-License-Identifier: MIT
// Profile: a member's public profile, edited through forms and JSON bodies (dynamic input).
// One attribute of each kind optimist stores, and `admin`, which only `promote` may set.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <optional>
#include <string>

namespace app {

struct Profile {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string handle;
  std::optional<std::string> bio;
  std::int32_t age = 0;
  float rating = 0;
  bool listed = true;
  std::optional<std::int64_t> referrer;  ///< the id of the profile that invited this one
  bool admin = false;

  friend bool operator==(const Profile&, const Profile&) = default;
};

}  // namespace app

template <>
struct optimist::Definition<app::Profile> {
  using Profile = app::Profile;
  static constexpr auto resource = optimist::resource<Profile>(
      "Profile", "profiles", optimist::primary_key<&Profile::id>("id"),
      optimist::version<&Profile::version>("version"),
      optimist::attribute<&Profile::handle>("handle", {.required = true, .max_length = 20}),
      optimist::attribute<&Profile::bio>("bio", {.max_length = 160}),
      optimist::attribute<&Profile::age>("age"), optimist::attribute<&Profile::rating>("rating"),
      optimist::attribute<&Profile::listed>("listed"),
      optimist::attribute<&Profile::referrer>("referrer"),
      optimist::attribute<&Profile::admin>("admin"));

  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Profile::handle, &Profile::bio, &Profile::age,
                                  &Profile::rating, &Profile::listed, &Profile::referrer>;
  // Who invited a member is fixed at creation; admin rights need their own action.
  using update = optimist::Update<"update", &Profile::handle, &Profile::bio, &Profile::age,
                                  &Profile::rating, &Profile::listed>;
  using promote = optimist::Update<"promote", &Profile::admin>;
  using destroy = optimist::Destroy<"destroy">;
};
