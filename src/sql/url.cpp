// SPDX-License-Identifier: MIT
#include "sql/url.hpp"

#include <fmt/format.h>

#include <charconv>

namespace optimist::sql {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Settings settings_from(const Options& options) {
  Settings s;
  if (options.pool_size > 0) {
    s.pool_size = options.pool_size;
    s.pool_size_given = true;
  }
  if (options.busy_timeout.count() >= 0) s.busy_timeout = options.busy_timeout;
  if (options.connect_timeout.count() > 0) s.connect_timeout = options.connect_timeout;
  if (options.statement_timeout.count() > 0) s.statement_timeout = options.statement_timeout;
  s.group_commit = options.group_commit;
  if (options.group_size > 0) s.group_size = options.group_size;
  if (options.group_wait.count() >= 0) s.group_wait = options.group_wait;
  return s;
}

Result<std::int64_t> number(const Parameter& p, std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  const char* end = p.value.data() + p.value.size();
  auto [ptr, ec] = std::from_chars(p.value.data(), end, n);
  if (ec != std::errc{} || ptr != end || n < min || n > max) {
    return malformed_url(
        fmt::format("parameter {} needs a whole number from {} to {}", p.key, min, max));
  }
  return n;
}

Error malformed_url(std::string detail) {
  Error e = make_error(ErrorKind::invalid, std::move(detail));
  e.fields.push_back({"url", FieldReason::malformed});
  return e;
}

Result<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return malformed_url("a % escape is cut short");
    const int hi = hex_digit(s[i + 1]);
    const int lo = hex_digit(s[i + 2]);
    if (hi < 0 || lo < 0) return malformed_url("a % escape is not followed by two hex digits");
    // A NUL would end the C string a driver is given, dropping whatever follows it.
    if (hi == 0 && lo == 0) return malformed_url("a %00 escape (NUL) is not allowed");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

Result<std::vector<Parameter>> parse_query(std::string_view query) {
  std::vector<Parameter> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return malformed_url("a query parameter is not of the form key=value");
    }
    OPTIMIST_TRY(key, percent_decode(item.substr(0, eq)));
    OPTIMIST_TRY(value, percent_decode(item.substr(eq + 1)));
    out.push_back({std::move(key), std::move(value)});
  }
  return out;
}

Result<bool> apply_common(const Parameter& p, Settings& s) {
  if (p.key == "pool") {
    OPTIMIST_TRY(n, number(p, 1, 1024));
    s.pool_size = static_cast<std::size_t>(n);
    s.pool_size_given = true;
  } else if (p.key == "busy_timeout") {
    OPTIMIST_TRY(n, number(p, 0, 86'400'000));
    s.busy_timeout = std::chrono::milliseconds(n);
  } else if (p.key == "connect_timeout") {
    OPTIMIST_TRY(n, number(p, 1, 86'400));
    s.connect_timeout = std::chrono::seconds(n);
  } else if (p.key == "statement_timeout") {
    OPTIMIST_TRY(n, number(p, 0, 86'400'000));
    s.statement_timeout = std::chrono::milliseconds(n);
  } else {
    return false;
  }
  return true;
}

}  // namespace optimist::sql
