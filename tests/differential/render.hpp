// SPDX-License-Identifier: MIT
// How the differential test writes down records and errors so that two stores' answers can
// be compared as text: every field, keys by the names the caller gives them, errors by
// kind, resource, action and detail, never by their message.
#pragma once

#include <cstdint>
#include <functional>
#include <optimist/optimist.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "differential/operation.hpp"
#include "differential/records.hpp"

namespace optimist::differential {

/// Names the primary key `key` of resource `res` in outcomes (#3, never-created, ...).
using KeyNames = std::function<std::string(Res res, std::int64_t key)>;

/// The Res whose resource name is `resource`; Player when none is.
[[nodiscard]] Res res_of(std::string_view resource);

/// `{id=#2, version=3, name="Zoë", points=5}`.
[[nodiscard]] std::string render_row(const Table& table, Res res, const Row& row,
                                     const KeyNames& names);

/// `stale_record Player.update key=#2 filter=version:1 stored_version=3`, with
/// `field=name:too_long:100` per field error and `constraint=email`.
[[nodiscard]] std::string render(const Error& error, const KeyNames& names);

template <class T>
std::string render(const T& record, const KeyNames& names) {
  return render_row(detail::Schema<T>::table().value(), Traits<T>::res,
                    detail::Schema<T>::to_row(record), names);
}

/// `[{...}; {...}]`: records in their order.
template <class T>
std::string render(const std::vector<T>& records, const KeyNames& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i != 0) out += "; ";
    out += render(records[i], names);
  }
  return out + "]";
}

/// `ok` and the record (or nothing, for Result<void>), or `error` and the error.
template <class V>
std::string render(const Result<V>& r, const KeyNames& names) {
  if (!r) return "error " + render(r.error(), names);
  if constexpr (std::is_void_v<V>) {
    return "ok";
  } else {
    return "ok " + render(r.value(), names);
  }
}

}  // namespace optimist::differential
