// SPDX-License-Identifier: MIT
// The parts of store URLs that every SQL dialect shares: query parameters and the settings
// they carry. Error details name the problem, never the URL (it may hold a password).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "optimist/store.hpp"

namespace optimist::sql {

/// One `key=value` of a URL query, percent-decoded.
struct Parameter {
  std::string key;
  std::string value;
};

/// The settings of a SQL store: Options first, then overridden by the URL's query.
struct Settings {
  std::size_t pool_size = 4;
  bool pool_size_given = false;  ///< set by Options or the URL, not the default
  std::chrono::milliseconds busy_timeout{5000};
  std::chrono::seconds connect_timeout{10};
  std::chrono::milliseconds statement_timeout{0};
  std::optional<bool> group_commit;  ///< as given; the dialect decides what unset means
  std::size_t group_size = 64;
  std::chrono::microseconds group_wait{100};
};

/// Settings from Options (zero or negative values keep the defaults).
[[nodiscard]] Settings settings_from(const Options& options);

/// An `invalid` error for the url field, with `detail` saying what is wrong.
[[nodiscard]] Error malformed_url(std::string detail);

/// The value of `p` as a whole number from `min` to `max`. Errors: invalid (anything else,
/// the detail naming the parameter and the range).
[[nodiscard]] Result<std::int64_t> number(const Parameter& p, std::int64_t min, std::int64_t max);

/// Decodes %XX escapes. Errors: invalid (a broken escape, or %00).
[[nodiscard]] Result<std::string> percent_decode(std::string_view s);

/// Splits `a=1&b=2` into decoded parameters. Errors: invalid (no `=`, empty key, bad escape).
[[nodiscard]] Result<std::vector<Parameter>> parse_query(std::string_view query);

/// Applies `p` to `s` when it is a parameter every SQL store understands (pool,
/// busy_timeout, connect_timeout, statement_timeout) and returns true; false for others.
/// Errors: invalid (a value that is not a number in range).
[[nodiscard]] Result<bool> apply_common(const Parameter& p, Settings& s);

}  // namespace optimist::sql
