// SPDX-License-Identifier: MIT
#include "resources/player.hpp"
#include "resources/tag.hpp"

int main() {
  const auto q = optimist::Query<app::Tag>().order_by(optimist::asc<&app::Player::name>);
  return q.selection().order.size() == 1 ? 0 : 1;
}
