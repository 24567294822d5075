// SPDX-License-Identifier: MIT
// An integer attribute takes a whole amount: 2.5 points would be cut to 2 without a word.
#include "resources/player.hpp"

int main() {
  const optimist::Resource<app::Player> players{optimist::open("memory:").value()};
  return players.change(1, optimist::increment<&app::Player::points>(2.5)) ? 0 : 1;
}
