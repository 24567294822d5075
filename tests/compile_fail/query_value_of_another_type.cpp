// SPDX-License-Identifier: MIT
#include "resources/tag.hpp"

int main() {
  const auto where = optimist::eq<&app::Tag::name>(42);
  return static_cast<int>(where.condition().values.size());
}
