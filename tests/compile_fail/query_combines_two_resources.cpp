// SPDX-License-Identifier: MIT
#include "resources/player.hpp"
#include "resources/tag.hpp"

int main() {
  auto both = optimist::eq<&app::Tag::name>("x") && optimist::eq<&app::Player::name>("y");
  return both.condition().operands.size() == 2 ? 0 : 1;
}
