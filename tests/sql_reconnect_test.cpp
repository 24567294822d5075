// SPDX-License-Identifier: MIT
// A lost PostgreSQL server: the call in flight returns unavailable, and once the server is
// back later calls reconnect and succeed, in the same process.
#include <gtest/gtest.h>

#include <optimist/optimist.hpp>
#include <string>

#include "support/postgres_server.hpp"
#include "support/sql_databases.hpp"
#include "support/tally.hpp"

namespace {

using test_app::Tally;

template <class T>
std::string_view kind_of(const optimist::Result<T>& r) {
  return r ? std::string_view("ok") : r.error().kind.name;
}

TEST(PostgresReconnect, ALostServerIsUnavailableThenRecoveredWithoutRestarting) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  auto store = optimist::open(optimist::testing::fresh_postgres_url(url) + "&pool=2").value();
  auto tallies = optimist::Resource<Tally>::open(store).value();
  auto tally = tallies.create(optimist::set<&Tally::count>(1)).value();
  {
    // Both pooled connections in use at once, so both hold prepared statements.
    auto tx = store->begin().value();
    ASSERT_TRUE(tallies.get(tally.id));
    ASSERT_TRUE(tallies.in(*tx).get(tally.id));
    ASSERT_TRUE(tx->commit());
  }

  optimist::testing::PostgresServer server;
  ASSERT_TRUE(server.stop());
  EXPECT_EQ(kind_of(tallies.update(tally, optimist::set<&Tally::count>(2))), "unavailable");
  EXPECT_EQ(kind_of(tallies.get(tally.id)), "unavailable");  // server still down: refused
  EXPECT_EQ(kind_of(store->begin()), "unavailable");

  ASSERT_TRUE(server.start());
  auto updated = tallies.update(tally, optimist::set<&Tally::count>(2));
  ASSERT_EQ(kind_of(updated), "ok");
  EXPECT_EQ(updated.value().version, 2);
  // Every pooled connection works again, in transactions too.
  auto tx = store->begin();
  ASSERT_EQ(kind_of(tx), "ok");
  EXPECT_EQ(tallies.in(*tx.value()).get(tally.id).value().count, 2);
  EXPECT_EQ(tallies.get(tally.id).value().version, 2);
  ASSERT_TRUE(tx.value()->commit());
}

}  // namespace
