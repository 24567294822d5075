// SPDX-License-Identifier: MIT
// open(): picks the backend a URL names.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "memory/memory_store.hpp"
#include "optimist/store.hpp"
#include "postgresql/backend.hpp"
#include "sql/sql_store.hpp"
#include "sql/url.hpp"
#include "sqlite/backend.hpp"

namespace optimist {

std::shared_ptr<spdlog::logger> default_logger() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto l = std::make_shared<spdlog::logger>(
        "optimist", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    l->set_level(spdlog::level::warn);
    return l;
  }();
  return logger;
}

namespace {

Result<std::shared_ptr<Store>> open_sql(std::string_view url, const Options& options,
                                        const std::shared_ptr<spdlog::logger>& logger) {
  sql::Settings settings = sql::settings_from(options);
  Result<std::unique_ptr<sql::Connector>> connector =
      url.starts_with("sqlite:") ? sqlite::make_connector(url.substr(7), settings)
                                 : postgresql::make_connector(url, settings);
  if (!connector) return connector.error();
  return sql::SqlStore::open(
      logger, std::move(connector).value(),
      sql::PoolSettings{.size = settings.pool_size, .wait = settings.busy_timeout});
}

}  // namespace

Result<std::shared_ptr<Store>> open(std::string_view url, Options options) {
  auto logger = options.logger ? options.logger : default_logger();
  // Drivers take C strings: a NUL would silently cut off the rest (say, sslmode=require).
  if (url.find('\0') != std::string_view::npos) return sql::malformed_url("the URL holds a NUL");
  if (url == "memory:") return std::shared_ptr<Store>(std::make_shared<MemoryStore>(logger));
  try {
    if (url.starts_with("sqlite:") || url.starts_with("postgresql:") ||
        url.starts_with("postgres:")) {
      return open_sql(url, options, logger);
    }
  } catch (const std::exception&) {
    return make_error(ErrorKind::internal, "unexpected failure while opening the store");
  }
  return sql::malformed_url(
      "unsupported store URL; expected memory:, sqlite:PATH, sqlite::memory: or postgresql://");
}

}  // namespace optimist
