// SPDX-License-Identifier: MIT
#include "resources/tag.hpp"

int main() {
  const optimist::Resource<app::Tag> tags{optimist::open("memory:").value()};
  return tags.all(optimist::is_null<&app::Tag::name>()) ? 0 : 1;
}
