// SPDX-License-Identifier: MIT
#include <optimist/optimist.hpp>

struct Doc {
  std::int64_t id = 0;
  std::string version;
};

template <>
struct optimist::Definition<Doc> {
  static constexpr auto resource =
      optimist::resource<Doc>("Doc", "docs", optimist::primary_key<&Doc::id>("id"),
                              optimist::version<&Doc::version>("version"));
};

int main() {
  return static_cast<int>(optimist::Definition<Doc>::resource.name.size());
}
