// SPDX-License-Identifier: MIT
// Only numbers can be incremented: Player::name is text.
#include "resources/player.hpp"

int main() {
  const optimist::Resource<app::Player> players{optimist::open("memory:").value()};
  return players.change(1, optimist::increment<&app::Player::name>(1)) ? 0 : 1;
}
