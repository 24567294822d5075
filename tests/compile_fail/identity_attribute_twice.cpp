// SPDX-License-Identifier: MIT
#include "identity_doc.hpp"

int main() {
  constexpr auto spec = doc_with(optimist::identity<"by_name", &Doc::name, &Doc::name>());
  return static_cast<int>(spec.name.size());
}
