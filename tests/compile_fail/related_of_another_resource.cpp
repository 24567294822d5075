// SPDX-License-Identifier: MIT
#include <vector>

#include "resources/phone.hpp"
#include "resources/user.hpp"

int main() {
  const optimist::Resource<app::User> users{optimist::open("memory:").value()};
  return users.children_of<&app::Phone::user_id>(std::vector<app::User>{}) ? 0 : 1;
}
