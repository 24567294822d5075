// SPDX-License-Identifier: MIT
#include <optimist/optimist.hpp>

struct Doc {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string title;
  std::string cache;  // not stored
};

template <>
struct optimist::Definition<Doc> {
  static constexpr auto resource = optimist::resource<Doc>(
      "Doc", "docs", optimist::primary_key<&Doc::id>("id"),
      optimist::version<&Doc::version>("version"), optimist::attribute<&Doc::title>("title"));
  using read = optimist::Read<"read">;
};

int main() {
  const optimist::Resource<Doc> docs{optimist::open("memory:").value()};
  return docs.all(optimist::eq<&Doc::cache>("x")) ? 0 : 1;
}
