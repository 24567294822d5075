// SPDX-License-Identifier: MIT
#include "resources/profile.hpp"

int main() {
  const optimist::Resource<app::Profile> profiles{optimist::open("memory:").value()};
  const app::Profile ann = profiles.create_from_or_throw({{"handle", std::string("ann")}});
  using Create = optimist::Definition<app::Profile>::create;
  return profiles.update_from<Create>(ann, {{"handle", std::string("bob")}}) ? 0 : 1;
}
