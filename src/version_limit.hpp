// SPDX-License-Identifier: MIT
// The one refusal every store gives a write that would take a version past its maximum.
#pragma once

#include "optimist/table.hpp"

namespace optimist {

/// `invalid`, the version field `out_of_range`: the write would take the record's version
/// past Table::version_max, so it writes nothing.
[[nodiscard]] Error version_limit_error(const Table& table);

}  // namespace optimist
