// SPDX-License-Identifier: MIT
// Address: a postal area that several editors may change at once.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>

namespace app {

struct Address {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string state;
  std::string county;
};

}  // namespace app

template <>
struct optimist::Definition<app::Address> {
  using Address = app::Address;
  static constexpr auto resource = optimist::resource<Address>(
      "Address", "addresses", optimist::primary_key<&Address::id>("id"),
      optimist::version<&Address::version>("version"),
      optimist::attribute<&Address::state>("state", {.required = true, .max_length = 2}),
      optimist::attribute<&Address::county>("county", {.required = true, .max_length = 64}));

  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Address::state, &Address::county>;
  using update = optimist::Update<"update", &Address::state, &Address::county>;
  using destroy = optimist::Destroy<"destroy">;
};
