// SPDX-License-Identifier: MIT
// Store URLs through the SQL stores' own parsers. Nothing here connects or opens a file:
// the parsers are pure, and open() is never called on fuzzed text.
#include <libpq-fe.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "fuzz.hpp"
#include "postgresql/backend.hpp"
#include "sql/url.hpp"
#include "sqlite/backend.hpp"

namespace optimist::fuzz {

namespace {

// Put in the password slot; no error text may ever show it.
constexpr std::string_view secret = "Zq9secretZq9";

bool is_url_error(const Error& e) {
  return e.kind == ErrorKind::invalid &&
         e.fields == std::vector<FieldError>{{"url", FieldReason::malformed}} && !e.detail.empty();
}

void check_settings(const sql::Settings& s) {
  expect(s.pool_size >= 1 && s.pool_size <= 1024, "pool size within 1..1024");
  expect(s.busy_timeout.count() >= 0 && s.busy_timeout.count() <= 86'400'000,
         "busy_timeout within 0..86400000 ms");
  expect(s.connect_timeout.count() >= 1 && s.connect_timeout.count() <= 86'400,
         "connect_timeout within 1..86400 s");
  expect(s.statement_timeout.count() >= 0 && s.statement_timeout.count() <= 86'400'000,
         "statement_timeout within 0..86400000 ms");
}

// libpq's own reading of `keyword` in `conninfo`.
std::optional<std::string> libpq_value(const std::string& conninfo, const char* keyword) {
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &message);
  PQfreemem(message);
  expect(options != nullptr, "libpq parses the conninfo built from an accepted URL");
  std::optional<std::string> out;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::strcmp(o->keyword, keyword) == 0 && o->val != nullptr) out = o->val;
  }
  PQconninfoFree(options);
  return out;
}

void check_postgresql(std::string_view url, bool secret_given) {
  sql::Settings settings;
  auto r = postgresql::parse_url(url, settings);
  if (!r) {
    expect(is_url_error(r.error()), "a refused postgresql URL is invalid {url, malformed}");
    if (secret_given) {
      expect(r.error().message().find(secret) == std::string::npos,
             "the error text of a refused URL holds the password");
    }
    return;
  }
  check_settings(settings);
  expect(libpq_value(r.value().conninfo, "password").value_or("") == r.value().password,
         "libpq reads the password optimist parsed, no more, no less");
}

void check_sqlite(std::string_view target) {
  sql::Settings settings;
  auto r = sqlite::parse_target(target, settings);
  if (!r) {
    expect(is_url_error(r.error()), "a refused sqlite URL is invalid {url, malformed}");
    return;
  }
  check_settings(settings);
  expect(r.value().memory == r.value().path.empty(), "a file path, or memory");
  expect(r.value().path.find('\0') == std::string::npos, "no NUL in a file path");
}

void check_query_parts(std::string_view s) {
  const auto escapes = static_cast<std::size_t>(std::count(s.begin(), s.end(), '%'));
  if (auto decoded = sql::percent_decode(s)) {
    expect(decoded.value().size() == s.size() - 2 * escapes, "each escape decodes to one byte");
  } else {
    expect(is_url_error(decoded.error()) && escapes > 0, "only a broken escape is refused");
  }
  if (auto params = sql::parse_query(s)) {
    const auto items = static_cast<std::size_t>(std::count(s.begin(), s.end(), '&')) + 1;
    expect(params.value().size() <= items, "at most one parameter per &-separated item");
    for (const sql::Parameter& p : params.value()) expect(!p.key.empty(), "no empty key");
  } else {
    expect(is_url_error(params.error()), "a refused query is invalid {url, malformed}");
  }
}

}  // namespace

void url(Bytes& in, std::uint8_t mode) {
  const std::string rest = in.rest();
  check_query_parts(rest);
  const bool fuzz_has_secret = rest.find(secret) != std::string::npos;
  if (mode == 1) {
    check_postgresql("postgresql://user:" + std::string(secret) + "@" + rest, !fuzz_has_secret);
  } else if (mode == 2) {
    check_postgresql("postgresql:password=" + std::string(secret) + " " + rest, !fuzz_has_secret);
  } else if (rest.starts_with("sqlite:")) {  // the dispatch of optimist::open
    check_sqlite(std::string_view(rest).substr(7));
  } else if (rest.starts_with("postgresql:") || rest.starts_with("postgres:")) {
    check_postgresql(rest, false);
  }
}

}  // namespace optimist::fuzz
