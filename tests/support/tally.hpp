// SPDX-License-Identifier: MIT
// Tally: a count that many processes bump by read-modify-write; and Member, with a unique
// column. Resources of the SQL store tests.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>

namespace test_app {

struct Tally {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t count = 0;
};

struct Member {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string email;
  std::string name;
};

}  // namespace test_app

template <>
struct optimist::Definition<test_app::Tally> {
  using Tally = test_app::Tally;
  static constexpr auto resource = optimist::resource<Tally>(
      "Tally", "tallies", optimist::primary_key<&Tally::id>("id"),
      optimist::version<&Tally::version>("version"), optimist::attribute<&Tally::count>("count"));

  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Tally::count>;
  using update = optimist::Update<"update", &Tally::count>;
  using destroy = optimist::Destroy<"destroy">;
};

template <>
struct optimist::Definition<test_app::Member> {
  using Member = test_app::Member;
  static constexpr auto resource = optimist::resource<Member>(
      "Member", "members", optimist::primary_key<&Member::id>("id"),
      optimist::version<&Member::version>("version"),
      optimist::attribute<&Member::email>("email", {.required = true, .unique = true}),
      optimist::attribute<&Member::name>("name"));

  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Member::email, &Member::name>;
  using update = optimist::Update<"update", &Member::email, &Member::name>;
  using destroy = optimist::Destroy<"destroy">;
};
