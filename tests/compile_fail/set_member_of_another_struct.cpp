// SPDX-License-Identifier: MIT
#include "resources/address.hpp"
#include "resources/counter.hpp"

int main() {
  const optimist::Resource<app::Counter> counters{optimist::open("memory:").value()};
  const app::Counter c = counters.create_or_throw(optimist::set<&app::Counter::name>("a"));
  return counters.update(c, optimist::set<&app::Address::county>("b")) ? 0 : 1;
}
