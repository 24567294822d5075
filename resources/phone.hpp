// SPDX-License-Identifier: MIT
// Phone: a phone number of a User. The server sets its user, the signed-in one; a form
// edits only the number and its label.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <optional>
#include <string>

namespace app {

struct Phone {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t user_id = 0;  ///< the User's id
  std::string number;
  std::optional<std::string> label;  ///< "home", "work", ...
};

}  // namespace app

template <>
struct optimist::Definition<app::Phone> {
  using Phone = app::Phone;
  static constexpr auto resource = optimist::resource<Phone>(
      "Phone", "phones", optimist::primary_key<&Phone::id>("id"),
      optimist::version<&Phone::version>("version"),
      optimist::attribute<&Phone::user_id>("user_id"),
      optimist::attribute<&Phone::number>("number", {.required = true, .max_length = 20}),
      optimist::attribute<&Phone::label>("label", {.max_length = 20}));

  using read = optimist::Read<"read", optimist::DefaultOrder<optimist::asc<&Phone::number>>>;
  // The server's create: it sets user_id from the session, never from the form.
  using create = optimist::Create<"create", &Phone::user_id, &Phone::number, &Phone::label>;
  // The form's edit: a phone never moves to another user.
  using update = optimist::Update<"update", &Phone::number, &Phone::label>;
  using destroy = optimist::Destroy<"destroy">;
};
