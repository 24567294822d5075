// SPDX-License-Identifier: MIT
// Golden SQL: the exact text each dialect runs, asserted without a database.
#include "sql/sql_text.hpp"

#include <gtest/gtest.h>

#include <array>

#include "postgresql/backend.hpp"
#include "resources/address.hpp"
#include "sqlite/backend.hpp"

namespace {

using optimist::sql::Dialect;

const Dialect& sqlite() {
  return optimist::sqlite::dialect();
}
const Dialect& postgres() {
  return optimist::postgresql::dialect();
}

const optimist::Table& addresses() {
  return optimist::detail::Schema<app::Address>::table().value();
}

// Address columns: 0 id, 1 version, 2 state, 3 county. Accounts: one of each kind, a unique
// email and an identity of two columns.
optimist::Column column(std::string name, optimist::ColumnType type, bool nullable = false) {
  optimist::Column c;
  c.name = std::move(name);
  c.type = type;
  c.nullable = nullable;
  return c;
}

optimist::Table accounts() {
  using T = optimist::ColumnType;
  optimist::Table t;
  t.resource = "Account";
  t.name = "accounts";
  t.columns = {column("id", T::integer),     column("version", T::integer),
               column("email", T::text),     column("balance", T::real),
               column("active", T::boolean), column("nickname", T::text, true),
               column("logins", T::integer)};
  t.identities = {{"email", {2}}, {"by_nickname_and_active", {5, 4}}};
  return t;
}

class SqlText : public ::testing::TestWithParam<const Dialect*> {
 protected:
  static const Dialect& dialect() { return *GetParam(); }
};

TEST_P(SqlText, Get) {
  EXPECT_EQ(optimist::sql::select_row(dialect(), addresses()),
            R"(SELECT "id", "version", "state", "county" FROM "addresses" WHERE "id" = :id)");
}

TEST(SqlTextDialect, LockingReadIsForUpdateOnPostgresAndPlainOnSqlite) {
  EXPECT_EQ(optimist::sql::select_row_for_update(postgres(), addresses()),
            R"(SELECT "id", "version", "state", "county" FROM "addresses" WHERE "id" = :id )"
            R"(FOR UPDATE)");
  EXPECT_EQ(optimist::sql::select_row_for_update(sqlite(), addresses()),
            optimist::sql::select_row(sqlite(), addresses()));
}

TEST_P(SqlText, InsertBindsEveryColumnButTheKeyAndReturnsTheKey) {
  EXPECT_EQ(optimist::sql::insert_row(dialect(), addresses()),
            R"(INSERT INTO "addresses" ("version", "state", "county") )"
            R"(VALUES (:version, :state, :county) RETURNING "id")");
}

TEST_P(SqlText, LockedUpdateIsOneStatementFilteringOnKeyAndVersion) {
  const std::array<std::size_t, 2> both{2, 3};
  EXPECT_EQ(optimist::sql::locked_update(dialect(), addresses(), both),
            R"(UPDATE "addresses" SET "state" = :state, "county" = :county, )"
            R"("version" = "version" + 1 WHERE "id" = :id AND "version" = :version)");
  const std::array<std::size_t, 1> county{3};
  EXPECT_EQ(optimist::sql::locked_update(dialect(), addresses(), county),
            R"(UPDATE "addresses" SET "county" = :county, "version" = "version" + 1 )"
            R"(WHERE "id" = :id AND "version" = :version)");
}

TEST_P(SqlText, LockedDestroy) {
  EXPECT_EQ(optimist::sql::locked_destroy(dialect(), addresses()),
            R"(DELETE FROM "addresses" WHERE "id" = :id AND "version" = :version)");
}

TEST_P(SqlText, VersionProbe) {
  EXPECT_EQ(optimist::sql::version_probe(dialect(), addresses()),
            R"(SELECT "version" FROM "addresses" WHERE "id" = :id)");
}

TEST_P(SqlText, IncrementReturnsTheWholeRow) {
  const auto t = accounts();
  const std::array<std::size_t, 2> columns{3, 6};
  EXPECT_EQ(optimist::sql::increment(dialect(), t, columns, false),
            R"(UPDATE "accounts" SET "balance" = "balance" + :balance, )"
            R"("logins" = "logins" + :logins, "version" = "version" + 1 )"
            R"(WHERE "id" = :id AND "version" < :version )"
            R"(RETURNING "id", "version", "email", "balance", "active", "nickname", "logins")");
  const std::array<std::size_t, 1> logins{6};
  EXPECT_EQ(optimist::sql::increment(dialect(), t, logins, true),
            R"(UPDATE "accounts" SET "logins" = "logins" + :logins, "version" = "version" + 1 )"
            R"(WHERE "id" = :id AND "version" = :version )"
            R"(RETURNING "id", "version", "email", "balance", "active", "nickname", "logins")");
}

TEST_P(SqlText, EachIdentityIsAUniqueIndexOverItsColumnsInItsOrder) {
  const auto t = accounts();
  EXPECT_EQ(optimist::sql::create_unique_index(dialect(), t, t.identities[0]),
            R"(CREATE UNIQUE INDEX IF NOT EXISTS "accounts_email_key" ON "accounts" ("email"))");
  EXPECT_EQ(optimist::sql::create_unique_index(dialect(), t, t.identities[1]),
            R"(CREATE UNIQUE INDEX IF NOT EXISTS "accounts_by_nickname_and_active_key" )"
            R"(ON "accounts" ("nickname", "active"))");
}

INSTANTIATE_TEST_SUITE_P(Dialects, SqlText, ::testing::Values(&sqlite(), &postgres()),
                         [](const auto& info) {
                           return info.param == &sqlite() ? "Sqlite" : "Postgres";
                         });

TEST(SqlTextSqlite, CreateTable) {
  EXPECT_EQ(optimist::sql::create_table(sqlite(), addresses()),
            R"(CREATE TABLE IF NOT EXISTS "addresses" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
            R"("version" INTEGER NOT NULL, "state" TEXT NOT NULL, "county" TEXT NOT NULL))");
  EXPECT_EQ(optimist::sql::create_table(sqlite(), accounts()),
            R"(CREATE TABLE IF NOT EXISTS "accounts" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
            R"("version" INTEGER NOT NULL, "email" TEXT NOT NULL, )"
            R"("balance" REAL NOT NULL CONSTRAINT "balance" CHECK (abs("balance") < 9e999), )"
            R"("active" INTEGER NOT NULL, "nickname" TEXT, "logins" INTEGER NOT NULL )"
            R"(CONSTRAINT "logins" CHECK (typeof("logins") = 'integer')))");
}

TEST(SqlTextPostgres, CreateTable) {
  EXPECT_EQ(
      optimist::sql::create_table(postgres(), addresses()),
      R"(CREATE TABLE IF NOT EXISTS "addresses" )"
      R"(("id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, )"
      R"("version" bigint NOT NULL, "state" text COLLATE "C" NOT NULL, "county" text COLLATE "C" NOT NULL))");
  EXPECT_EQ(
      optimist::sql::create_table(postgres(), accounts()),
      R"(CREATE TABLE IF NOT EXISTS "accounts" )"
      R"(("id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, )"
      R"("version" bigint NOT NULL, "email" text COLLATE "C" NOT NULL, )"
      R"("balance" double precision NOT NULL, "active" smallint NOT NULL, "nickname" text COLLATE "C", )"
      R"("logins" bigint NOT NULL))");
}

// PostgreSQL's cached statements are prepared through libpq, which numbers its placeholders.
TEST(SqlTextPostgres, PlaceholdersAreNumberedInOrderForLibpq) {
  using optimist::postgresql::numbered_placeholders;
  const std::array<std::size_t, 1> county{3};
  EXPECT_EQ(numbered_placeholders(optimist::sql::locked_update(postgres(), addresses(), county)),
            R"(UPDATE "addresses" SET "county" = $1, "version" = "version" + 1 )"
            R"(WHERE "id" = $2 AND "version" = $3)");
  EXPECT_EQ(numbered_placeholders(optimist::sql::insert_row(postgres(), addresses())),
            R"(INSERT INTO "addresses" ("version", "state", "county") )"
            R"(VALUES ($1, $2, $3) RETURNING "id")");
  EXPECT_EQ(numbered_placeholders("COMMIT"), "COMMIT");
}

TEST(SqlTextPostgres, NumberingLeavesQuotedTextAndCastsAlone) {
  using optimist::postgresql::numbered_placeholders;
  EXPECT_EQ(numbered_placeholders(R"(SELECT ":a", 'it''s :b', "x"":c", n::text, :n_2 FROM t )"
                                  R"(WHERE c = :c AND d := 1 AND e = ':)"),
            R"(SELECT ":a", 'it''s :b', "x"":c", n::text, $1 FROM t )"
            R"(WHERE c = $2 AND d := 1 AND e = ':)");
}

TEST(SqlTextTransactions, SqliteTakesTheWriteLockAtBegin) {
  EXPECT_EQ(sqlite().begin, "BEGIN IMMEDIATE");
  EXPECT_EQ(postgres().begin, "BEGIN");
}

}  // namespace
