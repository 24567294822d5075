// SPDX-License-Identifier: MIT
#include "resources/player.hpp"
#include "resources/tag.hpp"

int main() {
  optimist::Resource<app::Tag> tags(optimist::open("memory:").value());
  const auto players = optimist::Query<app::Player>(optimist::eq<&app::Player::name>("y"));
  return static_cast<int>(tags.all(players).value().size());
}
