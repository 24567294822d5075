// SPDX-License-Identifier: MIT
#include "support/backend.hpp"

namespace optimist::testing {

std::vector<Backend> backends() {
  return {
      Backend{.name = "Memory", .open = [] { return optimist::open("memory:"); }},
  };
}

}  // namespace optimist::testing
