// SPDX-License-Identifier: MIT
#include "resources/tag.hpp"

int main() {
  const optimist::Resource<app::Tag> tags{optimist::open("memory:").value()};
  return tags.all(optimist::starts_with<&app::Tag::owner_id>("1")) ? 0 : 1;
}
