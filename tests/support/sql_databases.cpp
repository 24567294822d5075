// SPDX-License-Identifier: MIT
#include "support/sql_databases.hpp"

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace optimist::testing {

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

std::optional<std::string> postgres_url() {
  const char* url = std::getenv("OPTIMIST_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

std::string fresh_postgres_url(const std::string& base,
                               std::initializer_list<std::string_view> settings) {
  static std::atomic<int> counter{0};
  const std::string schema = fmt::format("t{}_{}", ::getpid(), ++counter);
  // The base URL is ours (scripts/with-postgres.sh): a URI SOCI cannot take as it is, so
  // connect through optimist's own URL handling by way of a keyword string built here.
  const char* conninfo = std::getenv("OPTIMIST_TEST_POSTGRES_CONNINFO");
  if (conninfo == nullptr) throw std::runtime_error("OPTIMIST_TEST_POSTGRES_CONNINFO is not set");
  soci::session s(soci::postgresql, conninfo);
  soci::statement create = (s.prepare << fmt::format("CREATE SCHEMA \"{}\"", schema));
  create.execute(true);
  const char* separator = base.find('?') == std::string::npos ? "?" : "&";
  std::string url = fmt::format("{}{}options=-csearch_path%3D{}", base, separator, schema);
  for (std::string_view setting : settings) {
    const auto eq = setting.find('=');
    url += fmt::format("%20-c{}%3D{}", setting.substr(0, eq), setting.substr(eq + 1));
  }
  return url;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "optimist-test.XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace optimist::testing
