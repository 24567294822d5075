// SPDX-License-Identifier: MIT
// Store URLs that are malformed, for every backend's form (memory:, sqlite:, postgresql://
// and postgresql: keywords): optimist::open refuses each as invalid, field "url", reason
// malformed, before connecting or creating a file, and never echoes the password.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/matchers.hpp"
#include "support/sql_databases.hpp"

namespace {

using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::testing::HasErrorKind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::string_literals;

/// The password of every URL below that has one; in some it is percent-encoded.
constexpr const char* password = "Pa55-w0rd";

/// A URL that open() must refuse. "DIR" stands for an empty directory that must stay empty.
struct BadUrl {
  std::string name;
  std::string url;
};

void PrintTo(const BadUrl& c, std::ostream* os) {
  *os << c.name;
}

const std::vector<BadUrl> bad_urls = {
    // Any backend.
    {"Empty", ""},
    {"UnknownScheme", "mysql://u:Pa55-w0rd@localhost/db"},
    {"NoScheme", "DIR/app.db"},
    {"SchemeWithoutColon", "memory"},
    {"LeadingSpace", " memory:"},
    // memory:
    {"MemoryUppercase", "MEMORY:"},
    {"MemoryWithPath", "memory:app"},
    {"MemoryWithQuery", "memory:?pool=2"},
    {"MemoryRawNul", "memory:\0"s},
    // sqlite:
    {"SqliteEmptyPath", "sqlite:"},
    {"SqliteOnlyQuery", "sqlite:?pool=2"},
    {"SqlitePoolZero", "sqlite:DIR/a.db?pool=0"},
    {"SqlitePoolOverLimit", "sqlite:DIR/a.db?pool=1025"},
    {"SqlitePoolNegative", "sqlite:DIR/a.db?pool=-1"},
    {"SqlitePoolWithPlusSign", "sqlite:DIR/a.db?pool=+4"},
    {"SqlitePoolNotANumber", "sqlite:DIR/a.db?pool=four"},
    {"SqlitePoolWithSpace", "sqlite:DIR/a.db?pool=%204"},
    {"SqlitePoolEmpty", "sqlite:DIR/a.db?pool="},
    {"SqliteBusyTimeoutNegative", "sqlite:DIR/a.db?busy_timeout=-5"},
    {"SqliteBusyTimeoutFraction", "sqlite:DIR/a.db?busy_timeout=1.5"},
    {"SqliteBusyTimeoutBeyond64Bits", "sqlite:DIR/a.db?busy_timeout=99999999999999999999"},
    {"SqliteSynchronousUnknown", "sqlite:DIR/a.db?synchronous=sometimes"},
    {"SqliteUnknownParameter", "sqlite:DIR/a.db?journal_mode=delete"},
    {"SqliteParameterWithoutValue", "sqlite:DIR/a.db?pool"},
    {"SqliteParameterWithoutKey", "sqlite:DIR/a.db?=4"},
    {"SqliteEscapeCutShort", "sqlite:DIR/a.db%4"},
    {"SqliteEscapeNotHex", "sqlite:DIR/a%zz.db"},
    {"SqliteEscapedNul", "sqlite:DIR/a%00.db"},
    {"SqliteRawNul", "sqlite:DIR/a\0.db"s},
    {"SqliteBadEscapeInQuery", "sqlite:DIR/a.db?pool=%G1"},
    {"SqliteMemoryPoolZero", "sqlite::memory:?pool=0"},
    // postgresql:// and postgres://
    {"PostgresPortZero", "postgresql://u:Pa55-w0rd@localhost:0/db"},
    {"PostgresPortOver65535", "postgresql://u:Pa55-w0rd@localhost:65536/db"},
    {"PostgresPortNotANumber", "postgresql://u:Pa55-w0rd@localhost:http/db"},
    {"PostgresSecondPortBad", "postgresql://u:Pa55-w0rd@h1:5432,h2:x/db"},
    {"PostgresIpv6Unclosed", "postgresql://u:Pa55-w0rd@[::1/db"},
    {"PostgresIpv6TextAfter", "postgresql://u:Pa55-w0rd@[::1]x/db"},
    {"PostgresBadEscapeInPassword", "postgresql://u:Pa55%2Dw0rd%zz@localhost/db"},
    {"PostgresEscapeCutShortInPassword", "postgresql://u:Pa55-w0rd%2@localhost/db"},
    {"PostgresBadEscapeInUser", "postgresql://u%GG:Pa55-w0rd@localhost/db"},
    {"PostgresBadEscapeInDatabase", "postgresql://u:Pa55-w0rd@localhost/d%b"},
    {"PostgresPortInQueryZero", "postgresql://u:Pa55-w0rd@localhost/db?port=0"},
    {"PostgresPoolZero", "postgres://u:Pa55-w0rd@localhost/db?pool=0"},
    {"PostgresConnectTimeoutZero", "postgresql://u:Pa55-w0rd@localhost/db?connect_timeout=0"},
    {"PostgresStatementTimeoutNegative",
     "postgresql://u:Pa55-w0rd@localhost/db?statement_timeout=-1"},
    {"PostgresUnknownOption", "postgresql://u:Pa55-w0rd@localhost/db?no_such_option=1"},
    {"PostgresEscapedNulInPassword", "postgresql://u:Pa55-w0rd%00@localhost/db"},
    {"PostgresEscapedNulInQuery",
     "postgresql://u:Pa55-w0rd@localhost/db?application_name=%00&sslmode=require"},
    {"PostgresOptionNotAName", "postgresql://u:Pa55-w0rd@localhost/db?bad%20key=1"},
    {"PostgresQueryWithoutValue", "postgresql://u:Pa55-w0rd@localhost/db?sslmode"},
    {"PostgresSchemeTypo", "postgresq://u:Pa55-w0rd@localhost/db"},
    // postgresql: keyword=value
    {"PostgresKeywordWithoutValue", "postgresql:host=localhost password=Pa55-w0rd dbname"},
    {"PostgresKeywordUnclosedQuote", "postgresql:host=localhost password='Pa55-w0rd"},
    {"PostgresKeywordUnknown", "postgresql:host=localhost password=Pa55-w0rd nosuch=1"},
    {"PostgresKeywordPortZero", "postgresql:host=localhost port=0 password=Pa55-w0rd"},
    {"PostgresKeywordPortNotANumber", "postgresql:host=localhost port=x password=Pa55-w0rd"},
    {"PostgresKeywordSecondPortBad", "postgresql:host=h1,h2 port=5432,99999 password=Pa55-w0rd"},
    {"PostgresKeywordRawNul",
     "postgresql:host=localhost application_name=\0 sslmode=require password=Pa55-w0rd"s},
    {"PostgresKeywordPoolZero", "postgresql:host=localhost pool=0 password=Pa55-w0rd"},
    {"PostgresSingleSlash", "postgresql:/localhost/db"},
};

class BadUrlTest : public ::testing::TestWithParam<BadUrl> {
 protected:
  optimist::testing::TempDir dir;
};
INSTANTIATE_TEST_SUITE_P(Open, BadUrlTest, ::testing::ValuesIn(bad_urls),
                         [](const auto& info) { return info.param.name; });

std::string with_dir(std::string url, const std::filesystem::path& dir) {
  if (auto at = url.find("DIR"); at != std::string::npos) url.replace(at, 3, dir.string());
  return url;
}

TEST_P(BadUrlTest, IsInvalidUrlBeforeConnectingAndNeverEchoesThePassword) {
  const auto opened = optimist::open(with_dir(GetParam().url, dir.path()));
  ASSERT_THAT(opened, HasErrorKind(ErrorKind::invalid));
  const optimist::Error& e = opened.error();
  EXPECT_THAT(e.fields, ElementsAre(FieldError{"url", FieldReason::malformed}));
  EXPECT_FALSE(e.detail.empty()) << "the error does not say what is wrong";
  EXPECT_TRUE(e.resource.empty());
  EXPECT_THAT(e.message(), Not(HasSubstr(password)));
  EXPECT_THAT(e.message(), Not(HasSubstr("Pa55")));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "a refused URL created a file";
}

// Reaching no server at a well-formed URL: tests/secrets_test.cpp, which also reads the log.

// A server that refuses the connection is unavailable; what it says never shows the password,
// even where it names something the password was mistaken for.
TEST(OpenRefused, NeverEchoesThePassword) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(base);
  const std::string user = "postgresql://postgres@";
  ASSERT_EQ(base.rfind(user, 0), 0U) << "unexpected test URL";
  const std::string url = "postgresql://Pa55-w0rd:Pa55-w0rd@" + base.substr(user.size());
  const auto opened = optimist::open(url);
  ASSERT_THAT(opened, HasErrorKind(ErrorKind::unavailable));
  EXPECT_THAT(opened.error().message(), Not(HasSubstr(password)));
}

}  // namespace
