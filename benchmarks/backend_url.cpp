// SPDX-License-Identifier: MIT
// Reading --backend (and --sync, --group-commit against it) into a Config, with optimist's
// own URL parsers, so that the bench accepts exactly the URLs optimist::open does.
#include <optional>
#include <string>
#include <string_view>

#include "backends.hpp"  // the backend registry: which backend a URL names
#include "config.hpp"
#include "sql/url.hpp"         // optimist's own reading of URL queries
#include "sqlite/backend.hpp"  // and of sqlite: URLs

namespace bench {

namespace {

// The last value of `key` in a sqlite: URL's query, which set_backend has already read.
std::optional<std::string> url_parameter(std::string_view url, std::string_view key) {
  const auto question = url.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  auto params = optimist::sql::parse_query(url.substr(question + 1));
  if (!params) return std::nullopt;
  std::optional<std::string> found;
  for (const auto& p : params.value()) {
    if (p.key == key) found = p.value;
  }
  return found;
}

std::string with_parameter(const std::string& url, std::string_view key, std::string_view value) {
  std::string out = url;
  if (url.find('?') == std::string::npos) {
    out += '?';
  } else if (!url.ends_with('?') && !url.ends_with('&')) {
    out += '&';
  }
  return out + std::string(key) + "=" + std::string(value);
}

// What the configured backend is, for messages (never the URL: it may hold a password).
std::string_view kind_name(const Config& config) {
  switch (config.backend_kind) {
    case BackendKind::memory:
      return "memory:";
    case BackendKind::sqlite:
      return config.sqlite_memory ? "sqlite::memory:" : "sqlite:PATH";
    case BackendKind::postgresql:
      return "PostgreSQL";
  }
  return "?";
}

// Reads `url` into `config`, without --sync or --group-commit.
std::string read_backend(Config& config, const std::string& url) {
  config.backend = url;
  config.store_group_commit = false;
  const optimist::backends::Backend* backend = optimist::backends::find(url);
  const std::string_view name = backend != nullptr ? backend->name : std::string_view();
  if (name == "memory") {
    config.backend_kind = BackendKind::memory;
  } else if (name == "sqlite") {
    config.backend_kind = BackendKind::sqlite;
    // Read as optimist reads it (it refuses an empty path), so that raw opens the same file.
    optimist::sql::Settings settings;
    auto target = optimist::sqlite::parse_target(std::string_view(url).substr(7), settings);
    if (!target) return "--backend: " + target.error().message();
    config.sqlite_path = std::move(target.value().path);
    config.sqlite_memory = target.value().memory;
    config.sqlite_synchronous = optimist::sqlite::pragma_name(target.value().synchronous);
    config.sqlite_busy_timeout_ms = settings.busy_timeout.count();
    config.store_group_commit = settings.group_commit.value_or(false);
  } else if (name == "postgresql") {
    config.backend_kind = BackendKind::postgresql;
  } else {
    return "--backend: unsupported URL '" + url +
           "' (expected memory:, sqlite:PATH or postgresql://...)";
  }
  return {};
}

}  // namespace

std::string set_backend(Config& config, const std::string& url) {
  if (auto e = read_backend(config, url); !e.empty()) return e;
  if (!config.sync.empty()) {
    if (config.backend_kind != BackendKind::sqlite) {
      return "--sync sets SQLite's synchronous level: not for a " + std::string(kind_name(config)) +
             " backend";
    }
    if (const auto given = url_parameter(url, "synchronous")) {
      if (*given != config.sync) {
        return "--sync " + config.sync + ": the URL already asks for synchronous=" + *given;
      }
    } else if (auto e = read_backend(config, with_parameter(url, "synchronous", config.sync));
               !e.empty()) {
      return e;
    }
  }
  if (!config.group_commit.empty()) {
    if (config.backend_kind != BackendKind::sqlite || config.sqlite_memory) {
      return "--group-commit needs an SQLite file (sqlite:PATH), not a " +
             std::string(kind_name(config)) + " backend";
    }
    if (url_parameter(url, "group_commit")) {
      return "--group-commit: the URL already sets group_commit=; give one or the other";
    }
  }
  return {};
}

}  // namespace bench
