// SPDX-License-Identifier: MIT
// Error translation of the SQL stores: each database failure becomes its documented kind.
#include <gtest/gtest.h>

#include <optimist/optimist.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "support/sql_databases.hpp"
#include "support/tally.hpp"

namespace {

using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::set;
using test_app::Member;

template <class T>
std::string_view kind_of(const optimist::Result<T>& r) {
  return r ? std::string_view("ok") : r.error().kind.name;
}

// The same table as Member's, defined without the column "name": the schema an older
// version of the program created.
struct OldMember {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string email;
};

// Two definitions of one table that disagree on the type of "stars": a column altered behind
// the program's back. The text one created the table.
struct WordRating {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string stars;
};

struct Rating {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t stars = 0;
};

}  // namespace

template <>
struct optimist::Definition<WordRating> {
  static constexpr auto resource = optimist::resource<WordRating>(
      "Rating", "ratings", optimist::primary_key<&WordRating::id>("id"),
      optimist::version<&WordRating::version>("version"),
      optimist::attribute<&WordRating::stars>("stars"));
  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &WordRating::stars>;
};

template <>
struct optimist::Definition<Rating> {
  static constexpr auto resource = optimist::resource<Rating>(
      "Rating", "ratings", optimist::primary_key<&Rating::id>("id"),
      optimist::version<&Rating::version>("version"), optimist::attribute<&Rating::stars>("stars"));
  using read = optimist::Read<"read">;
};

template <>
struct optimist::Definition<OldMember> {
  static constexpr auto resource = optimist::resource<OldMember>(
      "Member", "members", optimist::primary_key<&OldMember::id>("id"),
      optimist::version<&OldMember::version>("version"),
      optimist::attribute<&OldMember::email>("email", {.required = true, .unique = true}));
  using read = optimist::Read<"read">;
};

namespace {

void expect_unique_violation_is_conflict(const std::string& url) {
  auto store = optimist::open(url).value();
  auto members = optimist::Resource<Member>::open(store).value();
  auto first = members.create(set<&Member::email>("ada@example.org"), set<&Member::name>("Ada"));
  ASSERT_TRUE(first);
  auto second = members.create(set<&Member::email>("ada@example.org"), set<&Member::name>("A."));
  ASSERT_EQ(kind_of(second), "conflict");
  EXPECT_EQ(second.error().constraint, "email");
  EXPECT_EQ(second.error().resource, "Member");
  EXPECT_EQ(second.error().detail.find("ada@example.org"), std::string::npos);

  // The failed statement leaves the connection usable, and updates conflict the same way.
  auto other = members.create(set<&Member::email>("bob@example.org"), set<&Member::name>("Bob"));
  ASSERT_TRUE(other);
  auto taken = members.update(other.value(), set<&Member::email>("ada@example.org"));
  ASSERT_EQ(kind_of(taken), "conflict");
  EXPECT_EQ(taken.error().constraint, "email");
  EXPECT_EQ(members.get(other.value().id).value().version, 1);
}

void expect_missing_column_is_invalid_definition(const std::string& url) {
  auto store = optimist::open(url).value();
  ASSERT_TRUE(optimist::Resource<OldMember>::open(store));
  auto opened = optimist::Resource<Member>::open(store);
  ASSERT_EQ(kind_of(opened), "invalid_definition");
  EXPECT_EQ(opened.error().fields,
            (std::vector<FieldError>{{"name", FieldReason::missing_column}}));
  EXPECT_NE(opened.error().detail.find("members"), std::string::npos);
  EXPECT_EQ(opened.error().resource, "Member");
}

TEST(SqliteErrors, UniqueViolationIsConflictNamingTheAttribute) {
  expect_unique_violation_is_conflict("sqlite::memory:");
  optimist::testing::TempDir dir;
  expect_unique_violation_is_conflict("sqlite:" + (dir.path() / "members.db").string());
}

TEST(PostgresErrors, UniqueViolationIsConflictNamingTheAttribute) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  expect_unique_violation_is_conflict(optimist::testing::fresh_postgres_url(url));
}

TEST(SqliteErrors, MissingColumnIsInvalidDefinitionNamingTableAndColumn) {
  optimist::testing::TempDir dir;
  expect_missing_column_is_invalid_definition("sqlite:" + (dir.path() / "old.db").string());
}

TEST(PostgresErrors, MissingColumnIsInvalidDefinitionNamingTableAndColumn) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  expect_missing_column_is_invalid_definition(optimist::testing::fresh_postgres_url(url));
}

// PostgreSQL sends every value as text: one that is not a number where the definition
// expects one fails the read as internal, and the connection goes on serving.
TEST(PostgresErrors, AStoredValueOfAnotherTypeThanDefinedIsInternal) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  auto store = optimist::open(optimist::testing::fresh_postgres_url(url)).value();
  auto words = optimist::Resource<WordRating>::open(store).value();
  auto many = words.create(set<&WordRating::stars>("many")).value();
  auto five = words.create(set<&WordRating::stars>("5")).value();
  auto ratings = optimist::Resource<Rating>::open(store).value();

  auto read = ratings.get(many.id);
  ASSERT_EQ(kind_of(read), "internal");
  EXPECT_EQ(read.error().resource, "Rating");
  EXPECT_EQ(ratings.get(five.id).value().stars, 5);
  EXPECT_EQ(words.get(many.id).value().stars, "many");
}

TEST(SqliteErrors, BusyDatabaseIsUnavailable) {
  optimist::testing::TempDir dir;
  const std::string file = (dir.path() / "busy.db").string();
  auto holder = optimist::open("sqlite:" + file).value();
  auto tallies = optimist::Resource<test_app::Tally>::open(holder).value();
  auto tally = tallies.create(set<&test_app::Tally::count>(1)).value();

  // The other store gives up on a locked database after 1 ms.
  auto other = optimist::open("sqlite:" + file + "?busy_timeout=1").value();
  auto other_tallies = optimist::Resource<test_app::Tally>::open(other).value();

  auto transaction = holder->begin().value();  // BEGIN IMMEDIATE: holds the write lock
  auto inside = tallies.in(*transaction);
  ASSERT_TRUE(inside.update(tally, set<&test_app::Tally::count>(2)));

  EXPECT_EQ(kind_of(other_tallies.update(tally, set<&test_app::Tally::count>(3))), "unavailable");
  EXPECT_EQ(kind_of(other_tallies.create(set<&test_app::Tally::count>(4))), "unavailable");
  EXPECT_EQ(kind_of(other->begin()), "unavailable");
  // WAL: readers are not blocked, and see the last committed state.
  EXPECT_EQ(other_tallies.get(tally.id).value().count, 1);

  ASSERT_TRUE(transaction->commit());
  auto fresh = other_tallies.get(tally.id).value();
  EXPECT_EQ(fresh.count, 2);
  EXPECT_TRUE(other_tallies.update(fresh, set<&test_app::Tally::count>(3)));
}

TEST(SqliteErrors, EveryConnectionPinnedByTransactionsIsUnavailableAfterTheWait) {
  // One pooled connection, waited for at most 10 ms.
  auto store = optimist::open("sqlite::memory:?pool=1&busy_timeout=10").value();
  auto tallies = optimist::Resource<test_app::Tally>::open(store).value();
  auto tally = tallies.create(set<&test_app::Tally::count>(1)).value();

  auto transaction = store->begin().value();
  EXPECT_EQ(kind_of(tallies.get(tally.id)), "unavailable");
  EXPECT_EQ(kind_of(store->begin()), "unavailable");
  EXPECT_EQ(tallies.in(*transaction).get(tally.id).value().count, 1);
  ASSERT_TRUE(transaction->rollback());
  EXPECT_EQ(tallies.get(tally.id).value().count, 1);
}

// PostgreSQL aborts a transaction at its first error and answers a later COMMIT with a
// ROLLBACK: the commit must fail, so that nobody takes the writes before the error for kept.
TEST(PostgresErrors, CommittingATransactionAnErrorAbortedFailsAndKeepsNothing) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  auto store = optimist::open(optimist::testing::fresh_postgres_url(url)).value();
  auto members = optimist::Resource<Member>::open(store).value();
  auto ada = members.create(set<&Member::email>("ada@example.org"), set<&Member::name>("Ada"));
  ASSERT_TRUE(ada);
  int published = 0;
  const auto subscription =
      store->events().subscribe("*.*.*", [&](const optimist::Event&) { ++published; }).value();

  auto tx = store->begin().value();
  const auto in_tx = members.in(*tx);
  ASSERT_TRUE(in_tx.update(ada.value(), set<&Member::name>("Ada L.")));
  ASSERT_EQ(kind_of(in_tx.create(set<&Member::email>("ada@example.org"))), "conflict");
  EXPECT_FALSE(tx->commit());

  EXPECT_EQ(published, 0);
  const auto stored = members.get(ada.value().id);
  ASSERT_TRUE(stored);  // the connection serves again
  EXPECT_EQ(stored.value().name, "Ada");
  EXPECT_EQ(stored.value().version, 1);
}

TEST(PostgresErrors, LockWaitBeyondTheStatementTimeoutIsUnavailable) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(base);
  const std::string url = optimist::testing::fresh_postgres_url(base);
  auto holder = optimist::open(url).value();
  auto tallies = optimist::Resource<test_app::Tally>::open(holder).value();
  auto tally = tallies.create(set<&test_app::Tally::count>(1)).value();

  auto impatient = optimist::open(url + "&statement_timeout=20").value();
  auto impatient_tallies = optimist::Resource<test_app::Tally>::open(impatient).value();

  auto transaction = holder->begin().value();
  ASSERT_TRUE(tallies.in(*transaction).update(tally, set<&test_app::Tally::count>(2)));
  // The row lock is held by the open transaction: the server cancels the waiting update.
  EXPECT_EQ(kind_of(impatient_tallies.update(tally, set<&test_app::Tally::count>(3))),
            "unavailable");
  ASSERT_TRUE(transaction->commit());

  auto fresh = impatient_tallies.get(tally.id).value();
  EXPECT_EQ(fresh.count, 2);
  EXPECT_TRUE(impatient_tallies.update(fresh, set<&test_app::Tally::count>(3)));
}

TEST(PostgresErrors, RefusedConnectionIsUnavailableAndHidesThePassword) {
  // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
  auto r = optimist::open("postgresql://someone:hunter2secret@127.0.0.1:1/x?connect_timeout=2");
  ASSERT_EQ(kind_of(r), "unavailable");
  EXPECT_EQ(r.error().detail.find("hunter2secret"), std::string::npos);
  EXPECT_EQ(r.error().message().find("hunter2secret"), std::string::npos);

  auto keywords = optimist::open(
      "postgresql:host=127.0.0.1 port=1 user=someone password=hunter2secret connect_timeout=2");
  ASSERT_EQ(kind_of(keywords), "unavailable");
  EXPECT_EQ(keywords.error().message().find("hunter2secret"), std::string::npos);
}

class MalformedUrl : public ::testing::TestWithParam<const char*> {};

TEST_P(MalformedUrl, IsInvalidNamingTheUrlField) {
  auto r = optimist::open(GetParam());
  ASSERT_EQ(kind_of(r), "invalid");
  EXPECT_EQ(r.error().fields, (std::vector<FieldError>{{"url", FieldReason::malformed}}));
  EXPECT_FALSE(r.error().detail.empty());
  EXPECT_EQ(r.error().message().find("s3cret"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Urls, MalformedUrl,
    ::testing::Values("", "memory", "mysql://localhost/db", "sqlite:", "sqlite:?pool=2",
                      "sqlite:app.db?pool=0", "sqlite:app.db?pool=many", "sqlite:app.db?pool",
                      "sqlite:app.db?colour=blue", "sqlite:app.db?synchronous=sometimes",
                      "sqlite:app%zz.db", "postgresql://u:s3cret@host:99999/db",
                      "postgresql://u:s3cret@host:port/db", "postgresql://u:s3cret@[::1/db",
                      "postgresql://u:s3cret@host/db?pool=-1",
                      "postgresql://u:s3cret@host/db?no_such_libpq_option=1",
                      "postgresql:host=h password='s3cret", "postgresql:host",
                      "postgresql://u:s3cret@host/db?statement_timeout=soon",
                      // A NUL would end libpq's keyword string early, dropping what follows.
                      "postgresql://u:s3cret@host/db%00", "postgresql://u%00:s3cret@host/db",
                      "postgresql://u:s3cret@host/db?application_name=a%00b"));

}  // namespace
