// SPDX-License-Identifier: MIT
// User: someone who signs in; phone numbers (resources/phone.hpp) belong to one.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>

namespace app {

struct User {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string name;
};

}  // namespace app

template <>
struct optimist::Definition<app::User> {
  using User = app::User;
  static constexpr auto resource = optimist::resource<User>(
      "User", "users", optimist::primary_key<&User::id>("id"),
      optimist::version<&User::version>("version"),
      optimist::attribute<&User::name>("name", {.required = true, .max_length = 100}));

  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &User::name>;
  using update = optimist::Update<"update", &User::name>;
  using destroy = optimist::Destroy<"destroy">;
};
