// SPDX-License-Identifier: MIT
#include "resources/tag.hpp"

int main() {
  const auto where = optimist::starts_with<&app::Tag::owner_id>("1");
  return static_cast<int>(where.condition().values.size());
}
