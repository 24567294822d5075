// SPDX-License-Identifier: MIT
// The backend registry (see backends.hpp): one line per backend.
#include "backends.hpp"

#include "memory/memory_store.hpp"
#include "sql/sql_store.hpp"
#include "sql/url.hpp"
#ifdef OPTIMIST_WITH_SQLITE
#include "sqlite/backend.hpp"
#endif
#ifdef OPTIMIST_WITH_POSTGRESQL
#include "postgresql/backend.hpp"
#endif

namespace optimist::backends {

namespace {

Result<std::shared_ptr<Store>> open_memory(std::string_view url, const Options&,
                                           std::shared_ptr<spdlog::logger> logger) {
  if (url != "memory:") return sql::malformed_url("memory: takes no path and no parameters");
  return std::shared_ptr<Store>(std::make_shared<MemoryStore>(std::move(logger)));
}

// A SQL store over the Connector that `connector` makes of the URL.
template <auto connector>
Result<std::shared_ptr<Store>> open_sql(std::string_view url, const Options& options,
                                        std::shared_ptr<spdlog::logger> logger) {
  sql::Settings settings = sql::settings_from(options);
  OPTIMIST_TRY(made, connector(url, settings));
  return sql::SqlStore::open(
      std::move(logger), std::move(made),
      sql::PoolSettings{
          .size = settings.pool_size,
          .wait = settings.busy_timeout,
          .group_size = settings.group_commit.value_or(false) ? settings.group_size : 0});
}

constexpr Backend registry[] = {
    {"memory", {"memory:"}, "memory:", &open_memory},
#ifdef OPTIMIST_WITH_SQLITE
    {"sqlite", {"sqlite:"}, "sqlite:PATH, sqlite::memory:", &open_sql<&sqlite::make_connector>},
#endif
#ifdef OPTIMIST_WITH_POSTGRESQL
    {"postgresql",
     {"postgresql:", "postgres:"},
     "postgresql://",
     &open_sql<&postgresql::make_connector>},
#endif
};

}  // namespace

std::span<const Backend> all() noexcept {
  return registry;
}

const Backend* find(std::string_view url) noexcept {
  for (const Backend& b : registry) {
    for (std::string_view scheme : b.schemes) {
      if (!scheme.empty() && url.starts_with(scheme)) return &b;
    }
  }
  return nullptr;
}

}  // namespace optimist::backends
