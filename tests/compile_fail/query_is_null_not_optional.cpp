// SPDX-License-Identifier: MIT
#include "resources/tag.hpp"

int main() {
  const auto where = optimist::is_null<&app::Tag::name>();
  return static_cast<int>(where.condition().values.size());
}
