// SPDX-License-Identifier: MIT
#include "resources/tag.hpp"

int main() {
  const optimist::Resource<app::Tag> tags{optimist::open("memory:").value()};
  return tags.all(optimist::eq<&app::Tag::name>(42)) ? 0 : 1;
}
