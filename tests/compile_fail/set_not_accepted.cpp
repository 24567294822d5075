// SPDX-License-Identifier: MIT
// Counter's update action accepts only `value`.
#include "resources/counter.hpp"

int main() {
  const optimist::Resource<app::Counter> counters{optimist::open("memory:").value()};
  const app::Counter c = counters.create_or_throw(optimist::set<&app::Counter::name>("a"));
  return counters.update(c, optimist::set<&app::Counter::name>("b")) ? 0 : 1;
}
