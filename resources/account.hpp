// SPDX-License-Identifier: MIT
// Account: a balance that money transfers move between owners.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>

namespace app {

struct Account {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string owner;
  std::int64_t balance = 0;  ///< in cents
};

}  // namespace app

template <>
struct optimist::Definition<app::Account> {
  using Account = app::Account;
  static constexpr auto resource = optimist::resource<Account>(
      "Account", "accounts", optimist::primary_key<&Account::id>("id"),
      optimist::version<&Account::version>("version"),
      optimist::attribute<&Account::owner>("owner", {.required = true, .max_length = 100}),
      optimist::attribute<&Account::balance>("balance"));

  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Account::owner, &Account::balance>;
  using update = optimist::Update<"update", &Account::balance>;
  using destroy = optimist::Destroy<"destroy">;
};
