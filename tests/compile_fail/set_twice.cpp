// SPDX-License-Identifier: MIT
#include "resources/address.hpp"

int main() {
  const optimist::Resource<app::Address> addresses{optimist::open("memory:").value()};
  return addresses.create(optimist::set<&app::Address::state>("FL"),
                          optimist::set<&app::Address::state>("NC"))
             ? 0
             : 1;
}
