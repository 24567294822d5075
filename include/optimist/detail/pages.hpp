// SPDX-License-Identifier: MIT
// The machinery of keyset pages behind Resource<T>::page and for_each: cursors signed with
// the store's key, and the condition that starts a page after its cursor.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "optimist/data_layer.hpp"

namespace optimist {

class Store;

namespace detail {

/// The size of a page whose query sets no limit.
inline constexpr std::size_t default_page_size = 100;

/// One page of rows, and the cursor of the next one.
struct PageRows {
  std::vector<Row> rows;
  std::optional<std::string> next;
};

/// The page of `selection` that starts after `cursor` (the first page when empty), read
/// through `data` (the store, or a transaction of it): at most `limit` rows (or
/// default_page_size), and a cursor when more follow. Errors: invalid (a cursor that is
/// malformed, tampered with, or made for another query or store, the `cursor` field
/// malformed; an offset with a cursor; a limit of 0), and those of DataLayer::select.
[[nodiscard]] Result<PageRows> page_rows(const Store& store, DataLayer& data, const Table& table,
                                         std::string_view action, Selection selection,
                                         std::string_view cursor);

/// The refusal of Resource<T>::one when `found` (0 or 2) records match: not_found, or invalid.
[[nodiscard]] Error not_one(const Table& table, std::string_view action, std::size_t found);

/// The refusal of an offset in Resource<T>::for_each: invalid.
[[nodiscard]] Error offset_in_walk(const Table& table, std::string_view action);

/// A new random key for signing cursors.
[[nodiscard]] std::string random_cursor_key();

}  // namespace detail

}  // namespace optimist
