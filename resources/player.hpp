// SPDX-License-Identifier: MIT
// Player: points that match results add to, through atomic changes.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>

namespace app {

struct Player {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string name;
  std::int64_t points = 0;
};

}  // namespace app

template <>
struct optimist::Definition<app::Player> {
  using Player = app::Player;
  static constexpr auto resource = optimist::resource<Player>(
      "Player", "players", optimist::primary_key<&Player::id>("id"),
      optimist::version<&Player::version>("version"),
      optimist::attribute<&Player::name>("name", {.required = true, .max_length = 100}),
      optimist::attribute<&Player::points>("points"));

  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Player::name>;
  // Atomic changes go through an update action's accept list too: points is accepted here.
  using update = optimist::Update<"update", &Player::name, &Player::points>;
  using destroy = optimist::Destroy<"destroy">;
};
