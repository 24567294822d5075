// SPDX-License-Identifier: MIT
// Atomic changes go through an update action's accept list: this action accepts only name.
#include "resources/counter.hpp"

using Rename = optimist::Update<"rename", &app::Counter::name>;

int main() {
  const optimist::Resource<app::Counter> counters{optimist::open("memory:").value()};
  return counters.change<Rename>(1, optimist::increment<&app::Counter::value>(1)) ? 0 : 1;
}
