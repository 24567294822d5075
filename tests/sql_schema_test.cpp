// SPDX-License-Identifier: MIT
// What opening a resource leaves behind on a PostgreSQL connection: the pooled connections
// that serve calls afterwards must cost the server no more than fresh ones.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <optimist/optimist.hpp>
#include <set>
#include <string>
#include <vector>

#include "postgresql/backend.hpp"
#include "sql/sql_text.hpp"
#include "support/sql_databases.hpp"
#include "support/tally.hpp"

namespace {

using test_app::Member;

std::string unique_name(const char* prefix) {
  static std::atomic<int> counter{0};
  return fmt::format("{}_{}_{}", prefix, ::getpid(), ++counter);
}

soci::session observer() {
  const char* conninfo = std::getenv("OPTIMIST_TEST_POSTGRES_CONNINFO");
  if (conninfo == nullptr) throw std::runtime_error("OPTIMIST_TEST_POSTGRES_CONNINFO is not set");
  return soci::session(soci::postgresql, conninfo);
}

// The server processes of the connections opened with application_name `name`, whose last
// statement starts with `statement` (any, when empty).
std::vector<int> backends(soci::session& s, const std::string& name,
                          const std::string& statement = "") {
  std::vector<int> pids(16);
  const std::string pattern = statement + "%";
  s << "SELECT pid FROM pg_stat_activity WHERE application_name = :name AND query LIKE :pattern "
       "ORDER BY pid",
      soci::use(name), soci::use(pattern), soci::into(pids);
  return pids;
}

// A backend's table of the locks it holds starts with 16 entries and never shrinks, and the
// server scans the whole table at the end of every transaction: a check that held more locks
// at once would make every later call on its connection dearer.
TEST(PostgresSchema, CheckingTheStoredTableHoldsFewerLocksThanABackendsLockTableStartsWith) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  const optimist::Table& table = optimist::detail::Schema<Member>::table().value();
  const optimist::sql::Dialect& dialect = optimist::postgresql::dialect();
  soci::session s = observer();
  const std::string schema = unique_name("locks");
  s << fmt::format("CREATE SCHEMA \"{}\"", schema);
  s << fmt::format("SET search_path = \"{}\"", schema);
  s << optimist::sql::create_table(dialect, table);
  s << optimist::sql::create_unique_index(dialect, table, table.identities.at(0));

  s << "BEGIN";
  s << std::string(dialect.schema_lock);
  std::vector<std::string> columns(16);
  s << std::string(dialect.stored_columns), soci::use(table.name), soci::into(columns);
  std::vector<std::string> indexes(16);
  s << std::string(dialect.stored_indexes), soci::use(table.name), soci::into(indexes);
  int locks = 0;
  s << "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()", soci::into(locks);
  s << "ROLLBACK";

  EXPECT_EQ(std::set<std::string>(columns.begin(), columns.end()),
            (std::set<std::string>{"id", "version", "email", "name"}));
  EXPECT_EQ(std::set<std::string>(indexes.begin(), indexes.end()),
            (std::set<std::string>{"members_pkey", "members_email_key"}));
  EXPECT_LT(locks, 16);
}

// Creating a table takes more locks than that, so the connection that created it (and its
// unique index) is replaced before it serves a call; one that only found them keeps serving.
TEST(PostgresSchema, TheConnectionThatCreatedTheTableIsReplacedAndOneThatFoundItIsKept) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  soci::session s = observer();
  const std::string base = optimist::testing::fresh_postgres_url(url) + "&pool=1";

  const std::string creator = unique_name("creator");
  auto store = optimist::open(base + "&application_name=" + creator).value();
  const auto opened = backends(s, creator);
  ASSERT_EQ(opened.size(), 1U);
  auto members = optimist::Resource<Member>::open(store).value();  // creates "members"
  ASSERT_TRUE(members.create(optimist::set<&Member::email>("ada@example.org")));
  const auto inserted = backends(s, creator, "INSERT");
  ASSERT_EQ(inserted.size(), 1U);
  EXPECT_NE(inserted[0], opened[0]);

  const std::string finder = unique_name("finder");
  auto second = optimist::open(base + "&application_name=" + finder).value();
  const auto found = backends(s, finder);
  ASSERT_EQ(found.size(), 1U);
  auto same = optimist::Resource<Member>::open(second).value();  // finds "members"
  ASSERT_TRUE(same.create(optimist::set<&Member::email>("bob@example.org")));
  EXPECT_EQ(backends(s, finder, "INSERT"), found);
}

// Earlier versions declared a unique attribute inline (`"email" text NOT NULL UNIQUE`), and
// PostgreSQL named its index as Table::index_name names the identity's: such a table gets no
// second index, and its conflicts name the attribute.
TEST(PostgresSchema, ATableWithAnInlineUniqueColumnKeepsItsIndexForTheIdentity) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  soci::session s = observer();
  const std::string schema = unique_name("inline");
  s << fmt::format("CREATE SCHEMA \"{}\"", schema);
  s << fmt::format("SET search_path = \"{}\"", schema);
  s << "CREATE TABLE \"members\" (\"id\" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
       "\"version\" bigint NOT NULL, \"email\" text NOT NULL UNIQUE, \"name\" text NOT NULL)";

  const char* separator = url.find('?') == std::string::npos ? "?" : "&";
  auto store =
      optimist::open(fmt::format("{}{}options=-csearch_path%3D{}", url, separator, schema)).value();
  auto members = optimist::Resource<Member>::open(store).value();
  ASSERT_TRUE(members.create(optimist::set<&Member::email>("ada@example.org")));
  const auto again = members.create(optimist::set<&Member::email>("ada@example.org"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, optimist::ErrorKind::conflict);
  EXPECT_EQ(again.error().constraint, "email");

  std::vector<std::string> indexes(16);
  const std::string table = "members";
  s << std::string(optimist::postgresql::dialect().stored_indexes), soci::use(table),
      soci::into(indexes);
  EXPECT_EQ(std::set<std::string>(indexes.begin(), indexes.end()),
            (std::set<std::string>{"members_pkey", "members_email_key"}));
}

}  // namespace
