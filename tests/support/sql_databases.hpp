// SPDX-License-Identifier: MIT
// Databases for tests of the SQL stores: temporary SQLite files and fresh PostgreSQL schemas.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace optimist::testing {

/// True when the environment says this is a CI run (CI=true): missing databases are failures.
[[nodiscard]] bool in_ci();

/// Why PostgreSQL tests cannot run when postgres_url() is empty.
inline constexpr const char* postgres_missing =
    "OPTIMIST_TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)";

/// The PostgreSQL URL from OPTIMIST_TEST_POSTGRES_URL, or nothing when unset or empty.
[[nodiscard]] std::optional<std::string> postgres_url();

/// A URL for a new, empty schema in the test PostgreSQL database (created here), so that each
/// test sees no tables of earlier ones: `base` plus a search_path option, and `settings`
/// (each "name=value", plain identifiers and values) for the sessions the URL opens.
/// Throws on failure.
[[nodiscard]] std::string fresh_postgres_url(const std::string& base,
                                             std::initializer_list<std::string_view> settings = {});

/// A new, empty directory under the system's temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace optimist::testing

/// In a test body: declares `std::string var` holding OPTIMIST_TEST_POSTGRES_URL; without it,
/// fails the test under CI=true and skips it elsewhere.
#define OPTIMIST_POSTGRES_URL_OR_SKIP(var)                                                  \
  const auto var##_maybe = ::optimist::testing::postgres_url();                             \
  if (!var##_maybe) {                                                                       \
    if (::optimist::testing::in_ci()) {                                                     \
      FAIL() << "CI=true but OPTIMIST_TEST_POSTGRES_URL is not set: run the tests through " \
                "scripts/with-postgres.sh";                                                 \
    }                                                                                       \
    GTEST_SKIP() << ::optimist::testing::postgres_missing;                                  \
  }                                                                                         \
  const std::string var = *var##_maybe
