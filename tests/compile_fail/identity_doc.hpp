// SPDX-License-Identifier: MIT
// Doc, the resource of the identity compile-fail tests: each builds Doc's definition with
// the identity it tests after the attributes.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>

struct Doc {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string name;
  std::string cache;  ///< not an attribute
};

/// Doc's ResourceSpec with `identity` after its attributes.
template <class I>
constexpr auto doc_with(I identity) {
  return optimist::resource<Doc>("Doc", "docs", optimist::primary_key<&Doc::id>("id"),
                                 optimist::version<&Doc::version>("version"),
                                 optimist::attribute<&Doc::name>("name"), identity);
}
