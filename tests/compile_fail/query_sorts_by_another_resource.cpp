// SPDX-License-Identifier: MIT
#include "resources/player.hpp"
#include "resources/tag.hpp"

int main() {
  auto query = optimist::Query<app::Tag>().order_by(optimist::asc<&app::Tag::name>,
                                                    optimist::desc<&app::Player::points>);
  return static_cast<int>(query.selection().order.size());
}
