// SPDX-License-Identifier: MIT
#include "resources/player.hpp"
#include "resources/tag.hpp"

int main() {
  const optimist::Resource<app::Tag> tags{optimist::open("memory:").value()};
  return tags.all(optimist::Query<app::Player>()) ? 0 : 1;
}
