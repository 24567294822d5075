// SPDX-License-Identifier: MIT
// Golden SQL: the exact text each dialect runs, asserted without a database.
#include "sql/sql_text.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "postgresql/backend.hpp"
#include "resources/address.hpp"
#include "sql/query_text.hpp"
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
  const auto positional = [](std::string_view t) {
    return optimist::sql::positional_placeholders(t, '$', true);
  };
  const std::array<std::size_t, 1> county{3};
  EXPECT_EQ(positional(optimist::sql::locked_update(postgres(), addresses(), county)),
            R"(UPDATE "addresses" SET "county" = $1, "version" = "version" + 1 )"
            R"(WHERE "id" = $2 AND "version" = $3)");
  EXPECT_EQ(positional(optimist::sql::insert_row(postgres(), addresses())),
            R"(INSERT INTO "addresses" ("version", "state", "county") )"
            R"(VALUES ($1, $2, $3) RETURNING "id")");
  EXPECT_EQ(positional("COMMIT"), "COMMIT");
}

TEST(SqlTextPostgres, NumberingLeavesQuotedTextAndCastsAlone) {
  const auto positional = [](std::string_view t) {
    return optimist::sql::positional_placeholders(t, '$', true);
  };
  EXPECT_EQ(positional(R"(SELECT ":a", 'it''s :b', "x"":c", n::text, :n_2 FROM t )"
                       R"(WHERE c = :c AND d := 1 AND e = ':)"),
            R"(SELECT ":a", 'it''s :b', "x"":c", n::text, $1 FROM t )"
            R"(WHERE c = $2 AND d := 1 AND e = ':)");
}

// SQLite's cached statements bind by position too, with unnumbered placeholders.
TEST(SqlTextSqlite, PlaceholdersAreUnnumberedForTheSqlite3Api) {
  const std::array<std::size_t, 1> county{3};
  EXPECT_EQ(optimist::sql::positional_placeholders(
                optimist::sql::locked_update(sqlite(), addresses(), county), '?', false),
            R"(UPDATE "addresses" SET "county" = ?, "version" = "version" + 1 )"
            R"(WHERE "id" = ? AND "version" = ?)");
  EXPECT_EQ(optimist::sql::positional_placeholders("SELECT ':a', x::text, :b_1", '?', false),
            "SELECT ':a', x::text, ?");
}

// The reads of many rows. Accounts columns: 0 id, 1 version, 2 email, 3 balance, 4 active,
// 5 nickname (nullable), 6 logins. Selections reach select_rows with a total order.
using optimist::Condition;
using optimist::Selection;
using optimist::SortKey;
using optimist::Value;
using optimist::sql::BoundText;
using optimist::sql::count_rows;
using optimist::sql::prefix_successor;
using optimist::sql::select_rows;
using C = Condition;
using K = Condition::Kind;
using T = optimist::Compare;

constexpr const char* every_account_column =
    R"(SELECT "id", "version", "email", "balance", "active", "nickname", "logins")";

Value text(const char* s) {
  return Value{std::string(s)};
}
Value integer(std::int64_t n) {
  return Value{n};
}

Selection by_key(Condition where = {}) {
  Selection s;
  s.where = std::move(where);
  s.order = {SortKey{0, false}};
  return s;
}

// The text after the column list, and the bound values.
struct Tail {
  std::string text;
  std::vector<Value> values;
  friend bool operator==(const Tail&, const Tail&) = default;
};

Tail tail_of(const BoundText& b) {
  const std::string head = every_account_column;
  EXPECT_EQ(b.text.substr(0, head.size()), head);
  return {b.text.substr(std::min(head.size(), b.text.size())), b.values};
}

void PrintTo(const Tail& t, std::ostream* os) {
  *os << t.text << " with " << t.values.size() << " values";
}

TEST(SqlTextQuery, EveryRowInKeyOrderBindsNothing) {
  for (const Dialect* d : {&sqlite(), &postgres()}) {
    EXPECT_EQ(tail_of(select_rows(*d, accounts(), by_key())),
              (Tail{R"( FROM "accounts" ORDER BY "id" ASC)", {}}));
  }
}

TEST(SqlTextQuery, ComparisonsBindTheirValueAndOrderTextByCodePointOnPostgres) {
  const auto t = accounts();
  const auto q =
      by_key(C::joined(K::all_of, {C::of(T::eq, 2, {text("a")}), C::of(T::ne, 2, {text("b")}),
                                   C::of(T::lt, 2, {text("c")}), C::of(T::le, 3, {Value{1.5}}),
                                   C::of(T::gt, 6, {integer(7)}), C::of(T::ge, 4, {Value{true}})}));
  const std::vector<Value> values{text("a"),  text("b"),  text("c"),
                                  Value{1.5}, integer(7), Value{true}};
  EXPECT_EQ(tail_of(select_rows(sqlite(), t, q)),
            (Tail{R"( FROM "accounts" WHERE ("email" = :p1 AND "email" <> :p2 AND )"
                  R"("email" < :p3 AND "balance" <= :p4 AND "logins" > :p5 AND "active" >= :p6) )"
                  R"(ORDER BY "id" ASC)",
                  values}));
  EXPECT_EQ(tail_of(select_rows(postgres(), t, q)),
            (Tail{R"( FROM "accounts" WHERE ("email" = :p1 AND "email" <> :p2 AND )"
                  R"("email" COLLATE "C" < :p3 AND "balance" <= :p4 AND "logins" > :p5 AND )"
                  R"("active" >= :p6) ORDER BY "id" ASC)",
                  values}));
}

TEST(SqlTextQuery, InBindsAPowerOfTwoOfValuesRepeatingTheLastAndNoneMatchesNothing) {
  const auto t = accounts();
  for (const Dialect* d : {&sqlite(), &postgres()}) {
    EXPECT_EQ(
        tail_of(select_rows(*d, t, by_key(C::of(T::in, 6, {integer(1)})))),
        (Tail{R"( FROM "accounts" WHERE "logins" IN (:p1) ORDER BY "id" ASC)", {integer(1)}}));
    EXPECT_EQ(
        tail_of(select_rows(*d, t, by_key(C::of(T::in, 2, {text("a"), text("b"), text("c")})))),
        (Tail{R"( FROM "accounts" WHERE "email" IN (:p1, :p2, :p3, :p4) ORDER BY "id" ASC)",
              {text("a"), text("b"), text("c"), text("c")}}));
    EXPECT_EQ(tail_of(select_rows(*d, t, by_key(C::of(T::in, 6)))),
              (Tail{R"( FROM "accounts" WHERE 1 = 0 ORDER BY "id" ASC)", {}}));
    // Lists of three and four values share a statement; five take the next one, of eight.
    std::vector<Value> five{integer(1), integer(2), integer(3), integer(4), integer(5)};
    const auto eight = select_rows(*d, t, by_key(C::of(T::in, 6, five)));
    EXPECT_EQ(eight.values.size(), 8U);
    EXPECT_EQ(eight.values.back(), integer(5));
    five.pop_back();
    EXPECT_EQ(
        select_rows(*d, t, by_key(C::of(T::in, 6, five))).text,
        select_rows(*d, t, by_key(C::of(T::in, 6, {integer(9), integer(8), integer(7)}))).text);
    EXPECT_NE(select_rows(*d, t, by_key(C::of(T::in, 6, five))).text, eight.text);
  }
}

TEST(SqlTextQuery, IsNullAndNotAndTheCombinationsOfNoOperands) {
  const auto t = accounts();
  for (const Dialect* d : {&sqlite(), &postgres()}) {
    EXPECT_EQ(tail_of(select_rows(*d, t, by_key(C::of(T::is_null, 5)))),
              (Tail{R"( FROM "accounts" WHERE "nickname" IS NULL ORDER BY "id" ASC)", {}}));
    // not is two-valued: a test that meets a NULL does not match, so its not does.
    EXPECT_EQ(
        tail_of(select_rows(*d, t, by_key(C::joined(K::none_of, {C::of(T::eq, 5, {text("x")})})))),
        (Tail{R"( FROM "accounts" WHERE ("nickname" = :p1) IS NOT TRUE ORDER BY "id" ASC)",
              {text("x")}}));
    EXPECT_EQ(
        tail_of(select_rows(
            *d, t,
            by_key(C::joined(K::none_of, {C::of(T::is_null, 5), C::of(T::eq, 6, {integer(2)})})))),
        (Tail{R"( FROM "accounts" WHERE ("nickname" IS NULL OR "logins" = :p1) IS NOT TRUE )"
              R"(ORDER BY "id" ASC)",
              {integer(2)}}));
    EXPECT_EQ(tail_of(select_rows(
                  *d, t,
                  by_key(C::joined(
                      K::any_of,
                      {C::of(T::eq, 6, {integer(1)}),
                       C::joined(K::all_of, {C::of(T::eq, 4, {Value{false}}), C::joined(K::all_of),
                                             C::joined(K::any_of), C::joined(K::none_of)})})))),
              (Tail{R"( FROM "accounts" WHERE ("logins" = :p1 OR ("active" = :p2 AND 1 = 1 AND )"
                    R"(1 = 0 AND 1 = 1)) ORDER BY "id" ASC)",
                    {integer(1), Value{false}}}));
    EXPECT_EQ(tail_of(select_rows(*d, t, by_key(C::joined(K::any_of)))),
              (Tail{R"( FROM "accounts" WHERE 1 = 0 ORDER BY "id" ASC)", {}}));
  }
}

TEST(SqlTextQuery, StartsWithIsARangeFromThePrefixToItsSuccessorNeverLike) {
  const auto t = accounts();
  const auto ab = by_key(C::of(T::starts_with, 2, {text("a%_\\")}));
  EXPECT_EQ(tail_of(select_rows(sqlite(), t, ab)),
            (Tail{R"( FROM "accounts" WHERE ("email" >= :p1 AND "email" < :p2) ORDER BY "id" ASC)",
                  {text("a%_\\"), text("a%_]")}}));
  EXPECT_EQ(tail_of(select_rows(postgres(), t, ab)),
            (Tail{R"( FROM "accounts" WHERE ("email" COLLATE "C" >= :p1 AND )"
                  R"("email" COLLATE "C" < :p2) ORDER BY "id" ASC)",
                  {text("a%_\\"), text("a%_]")}}));
  // A prefix of only U+10FFFF has no successor: the range has no upper end.
  const auto last = by_key(C::of(T::starts_with, 5, {text("\xF4\x8F\xBF\xBF")}));
  EXPECT_EQ(tail_of(select_rows(sqlite(), t, last)),
            (Tail{R"( FROM "accounts" WHERE ("nickname" >= :p1) ORDER BY "id" ASC)",
                  {text("\xF4\x8F\xBF\xBF")}}));
  EXPECT_EQ(tail_of(select_rows(postgres(), t, last)),
            (Tail{R"( FROM "accounts" WHERE ("nickname" COLLATE "C" >= :p1) ORDER BY "id" ASC)",
                  {text("\xF4\x8F\xBF\xBF")}}));
}

TEST(SqlTextQuery, OrdersPutNullsFirstAscendingAndLastDescending) {
  const auto t = accounts();
  Selection s;
  s.order = {{5, false}, {3, true}, {2, true}, {0, false}};
  EXPECT_EQ(tail_of(select_rows(sqlite(), t, s)),
            (Tail{R"( FROM "accounts" ORDER BY "nickname" ASC, "balance" DESC, "email" DESC, )"
                  R"("id" ASC)",
                  {}}));
  EXPECT_EQ(tail_of(select_rows(postgres(), t, s)),
            (Tail{R"( FROM "accounts" ORDER BY "nickname" COLLATE "C" ASC NULLS FIRST, )"
                  R"("balance" DESC, "email" COLLATE "C" DESC, "id" ASC)",
                  {}}));
  s.order = {{5, true}, {0, true}};
  EXPECT_EQ(tail_of(select_rows(sqlite(), t, s)),
            (Tail{R"( FROM "accounts" ORDER BY "nickname" DESC, "id" DESC)", {}}));
  EXPECT_EQ(tail_of(select_rows(postgres(), t, s)),
            (Tail{R"( FROM "accounts" ORDER BY "nickname" COLLATE "C" DESC NULLS LAST, )"
                  R"("id" DESC)",
                  {}}));
}

TEST(SqlTextQuery, LimitAndOffsetAreBoundLast) {
  const auto t = accounts();
  constexpr std::int64_t most = std::numeric_limits<std::int64_t>::max();
  for (const Dialect* d : {&sqlite(), &postgres()}) {
    auto s = by_key(C::of(T::eq, 6, {integer(3)}));
    s.limit = 10;
    EXPECT_EQ(tail_of(select_rows(*d, t, s)),
              (Tail{R"( FROM "accounts" WHERE "logins" = :p1 ORDER BY "id" ASC LIMIT :p2)",
                    {integer(3), integer(10)}}));
    s.offset = 20;
    EXPECT_EQ(tail_of(select_rows(*d, t, s)),
              (Tail{R"( FROM "accounts" WHERE "logins" = :p1 ORDER BY "id" ASC LIMIT :p2 )"
                    R"(OFFSET :p3)",
                    {integer(3), integer(10), integer(20)}}));
    // An offset alone: the largest count as the limit.
    s.limit.reset();
    EXPECT_EQ(tail_of(select_rows(*d, t, s)),
              (Tail{R"( FROM "accounts" WHERE "logins" = :p1 ORDER BY "id" ASC LIMIT :p2 )"
                    R"(OFFSET :p3)",
                    {integer(3), integer(most), integer(20)}}));
    s.limit = std::numeric_limits<std::size_t>::max();
    s.offset = 0;
    EXPECT_EQ(tail_of(select_rows(*d, t, s)).values,
              (std::vector<Value>{integer(3), integer(most)}));
    s.limit = 0;
    EXPECT_EQ(tail_of(select_rows(*d, t, s)).values, (std::vector<Value>{integer(3), integer(0)}));
  }
}

TEST(SqlTextQuery, TheTextDependsOnTheShapeNotOnTheValues) {
  for (const Dialect* d : {&sqlite(), &postgres()}) {
    const auto one = select_rows(*d, accounts(), by_key(C::of(T::gt, 2, {text("a")})));
    const auto other =
        select_rows(*d, accounts(), by_key(C::of(T::gt, 2, {text("'); DROP TABLE x;--")})));
    EXPECT_EQ(one.text, other.text);
    EXPECT_EQ(other.values, std::vector<Value>{text("'); DROP TABLE x;--")});
  }
}

TEST(SqlTextQuery, CountRows) {
  for (const Dialect* d : {&sqlite(), &postgres()}) {
    const auto all = count_rows(*d, accounts(), Condition{});
    EXPECT_EQ(all.text, R"(SELECT COUNT(*) FROM "accounts")");
    EXPECT_TRUE(all.values.empty());
    const auto some = count_rows(
        *d, accounts(),
        C::joined(K::any_of, {C::of(T::is_null, 5), C::of(T::in, 6, {integer(1), integer(2)})}));
    EXPECT_EQ(
        some.text,
        R"(SELECT COUNT(*) FROM "accounts" WHERE ("nickname" IS NULL OR "logins" IN (:p1, :p2)))");
    EXPECT_EQ(some.values, (std::vector<Value>{integer(1), integer(2)}));
  }
  EXPECT_EQ(count_rows(postgres(), accounts(), C::of(T::lt, 2, {text("m")})).text,
            R"(SELECT COUNT(*) FROM "accounts" WHERE "email" COLLATE "C" < :p1)");
  EXPECT_EQ(count_rows(sqlite(), accounts(), C::of(T::lt, 2, {text("m")})).text,
            R"(SELECT COUNT(*) FROM "accounts" WHERE "email" < :p1)");
}

TEST(SqlTextQuery, PrefixSuccessorIncrementsTheLastCodePoint) {
  EXPECT_EQ(prefix_successor("a"), "b");
  EXPECT_EQ(prefix_successor("ab"), "ac");
  EXPECT_EQ(prefix_successor("%"), "&");
  EXPECT_EQ(prefix_successor("_"), "`");
  EXPECT_EQ(prefix_successor("\\"), "]");
  EXPECT_EQ(prefix_successor("'"), "(");
  EXPECT_EQ(prefix_successor("\""), "#");
  // Across the widths of UTF-8: U+007F, U+07FF, U+FFFF become U+0080, U+0800, U+10000.
  EXPECT_EQ(prefix_successor("\x7F"), "\xC2\x80");
  EXPECT_EQ(prefix_successor("\xDF\xBF"), "\xE0\xA0\x80");
  EXPECT_EQ(prefix_successor("\xEF\xBF\xBF"), "\xF0\x90\x80\x80");
  EXPECT_EQ(prefix_successor("\xC3\xA9"), "\xC3\xAA");  // é, ê
  EXPECT_EQ(prefix_successor("\xC3\xBF"), "\xC4\x80");  // ÿ, Ā
  EXPECT_EQ(prefix_successor("x\xE6\x9D\xB1"), "x\xE6\x9D\xB2");
  // U+D7FF is followed by U+E000: the surrogates between are no text.
  EXPECT_EQ(prefix_successor("\xED\x9F\xBF"), "\xEE\x80\x80");
  EXPECT_EQ(prefix_successor("a\xED\x9F\xBF"), "a\xEE\x80\x80");
  // U+10FFFF has no successor: the code point before it is incremented instead.
  EXPECT_EQ(prefix_successor("a\xF4\x8F\xBF\xBF"), "b");
  EXPECT_EQ(prefix_successor("z\xF4\x8F\xBF\xBF\xF4\x8F\xBF\xBF"), "{");
  EXPECT_EQ(prefix_successor("\xF4\x8F\xBF\xBE"), "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(prefix_successor("\xC3\xA9\xF4\x8F\xBF\xBF"), "\xC3\xAA");
  EXPECT_EQ(prefix_successor("\xF4\x8F\xBF\xBF"), std::nullopt);
  EXPECT_EQ(prefix_successor("\xF4\x8F\xBF\xBF\xF4\x8F\xBF\xBF"), std::nullopt);
  EXPECT_EQ(prefix_successor(""), std::nullopt);
}

TEST(SqlTextTransactions, SqliteTakesTheWriteLockAtBegin) {
  EXPECT_EQ(sqlite().begin, "BEGIN IMMEDIATE");
  EXPECT_EQ(postgres().begin, "BEGIN");
}

}  // namespace
