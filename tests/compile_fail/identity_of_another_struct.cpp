// SPDX-License-Identifier: MIT
#include "identity_doc.hpp"
#include "resources/counter.hpp"

int main() {
  constexpr auto spec = doc_with(optimist::identity<"by_name", &app::Counter::name>());
  return static_cast<int>(spec.name.size());
}
