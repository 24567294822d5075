// SPDX-License-Identifier: MIT
// Transfer: the record of money moved from one Account to another. Written in the same
// unit of work as the two balance updates, so the rows always explain the balances.
#pragma once

#include <cstdint>
#include <optimist/optimist.hpp>

namespace app {

struct Transfer {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t from_account = 0;
  std::int64_t to_account = 0;
  std::int64_t amount = 0;  ///< in cents
};

}  // namespace app

template <>
struct optimist::Definition<app::Transfer> {
  using Transfer = app::Transfer;
  static constexpr auto resource = optimist::resource<Transfer>(
      "Transfer", "transfers", optimist::primary_key<&Transfer::id>("id"),
      optimist::version<&Transfer::version>("version"),
      optimist::attribute<&Transfer::from_account>("from_account"),
      optimist::attribute<&Transfer::to_account>("to_account"),
      optimist::attribute<&Transfer::amount>("amount"));

  // A transfer is a fact: it is created and read, never changed or deleted.
  using read = optimist::Read<"read">;
  using create =
      optimist::Create<"create", &Transfer::from_account, &Transfer::to_account, &Transfer::amount>;
};
