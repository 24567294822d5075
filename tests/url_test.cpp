// SPDX-License-Identifier: MIT
// Store URLs as the SQL stores' parsers read them, without connecting: what reaches libpq
// is exactly what the URL says.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstring>
#include <map>
#include <string>

#include "postgresql/backend.hpp"
#include "support/matchers.hpp"

namespace {

using optimist::testing::IsOk;

/// libpq's own reading of a keyword string: keyword to value, for the keywords set.
std::map<std::string, std::string> libpq_reads(const std::string& conninfo) {
  std::map<std::string, std::string> out;
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &message);
  PQfreemem(message);
  if (options == nullptr) return out;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) out[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  return out;
}

TEST(PostgresUrl, ValuesReachLibpqIntactWhateverBytesTheyHold) {
  // Ends in bytes that libpq's bare-value syntax would take for a separator.
  optimist::sql::Settings settings;
  auto r = optimist::postgresql::parse_url(
      "postgresql://u%20x:pw%0D%0C%0B@db.internal/a%27p%5Cp%3Dx?application_name=a%A0", settings);
  ASSERT_THAT(r, IsOk());
  const auto read = libpq_reads(r.value().conninfo);
  EXPECT_EQ(read.at("user"), "u x");
  EXPECT_EQ(read.at("password"), "pw\r\f\v");
  EXPECT_EQ(read.at("host"), "db.internal");
  EXPECT_EQ(read.at("dbname"), "a'p\\p=x");
  EXPECT_EQ(read.at("application_name"), "a\xA0");
  EXPECT_EQ(read.at("connect_timeout"), "10");
  EXPECT_EQ(r.value().password, "pw\r\f\v");
}

}  // namespace
