// SPDX-License-Identifier: MIT
#include "resources/tag.hpp"

int main() {
  const optimist::Resource<app::Tag> tags{optimist::open("memory:").value()};
  return tags.get_by<"by_name">("red") ? 0 : 1;
}
