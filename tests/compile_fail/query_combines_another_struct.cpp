// SPDX-License-Identifier: MIT
#include "resources/player.hpp"
#include "resources/tag.hpp"

int main() {
  const auto where = optimist::eq<&app::Tag::name>("x") && optimist::eq<&app::Player::name>("y");
  return static_cast<int>(where.condition().operands.size());
}
