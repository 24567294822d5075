// SPDX-License-Identifier: MIT
#include <optimist/optimist.hpp>
#include <vector>

struct Doc {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::vector<int> tags;
};

template <>
struct optimist::Definition<Doc> {
  static constexpr auto resource = optimist::resource<Doc>(
      "Doc", "docs", optimist::primary_key<&Doc::id>("id"),
      optimist::version<&Doc::version>("version"), optimist::attribute<&Doc::tags>("tags"));
};

int main() {
  return static_cast<int>(optimist::Definition<Doc>::resource.name.size());
}
