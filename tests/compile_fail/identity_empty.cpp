// SPDX-License-Identifier: MIT
#include "identity_doc.hpp"

int main() {
  constexpr auto spec = doc_with(optimist::identity<"nothing">());
  return static_cast<int>(spec.name.size());
}
