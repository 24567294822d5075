// SPDX-License-Identifier: MIT
#include <vector>

#include "resources/phone.hpp"
#include "resources/user.hpp"

int main() {
  const optimist::Resource<app::Phone> phones{optimist::open("memory:").value()};
  return phones.children_of<&app::Phone::number>(std::vector<app::User>{}) ? 0 : 1;
}
