// SPDX-License-Identifier: MIT
#include "identity_doc.hpp"

int main() {
  constexpr auto spec = doc_with(optimist::identity<"by_cache", &Doc::cache>());
  return static_cast<int>(spec.name.size());
}
