// SPDX-License-Identifier: MIT
#include "identity_doc.hpp"

int main() {
  constexpr auto spec = optimist::resource<Doc>(
      "Doc", "docs", optimist::primary_key<&Doc::id>("id"),
      optimist::version<&Doc::version>("version"), optimist::identity<"by_name", &Doc::name>(),
      optimist::attribute<&Doc::name>("name"));
  return static_cast<int>(spec.name.size());
}
