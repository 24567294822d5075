// SPDX-License-Identifier: MIT
// A password given in a connection URL never reaches a log line or an error: every log
// record of the store (captured at trace level through a test sink) and every error's
// message, fields and detail are searched for it, on reachable and unreachable servers and
// for malformed URLs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optimist/optimist.hpp>
#include <sstream>
#include <string>

#include "support/sql_databases.hpp"
#include "support/tally.hpp"

namespace {

using test_app::Member;
using test_app::Tally;
using ::testing::HasSubstr;
using ::testing::Not;

// The secret, and its percent-escaped spelling as a URL carries it.
constexpr const char* password = "Pa55:w0rd/secret";
constexpr const char* escaped = "Pa55%3Aw0rd%2Fsecret";

/// A logger at trace level whose records land in `text()`.
class CapturedLog {
 public:
  CapturedLog()
      : logger_(std::make_shared<spdlog::logger>(
            "secrets", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_))) {
    logger_->set_level(spdlog::level::trace);
  }
  [[nodiscard]] const std::shared_ptr<spdlog::logger>& logger() const { return logger_; }
  [[nodiscard]] std::string text() const {
    logger_->flush();
    return out_.str();
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> logger_;
};

/// Everything an error shows: its message, its fields and detail, and what an Exception
/// carrying it says.
std::string shown(const optimist::Error& e) {
  std::string all = e.message() + "\n" + e.detail + "\n" + fmt::format("{}", e) + "\n" +
                    optimist::Exception(e).what() + "\n" + e.resource + e.action;
  for (const auto& f : e.fields) all += "\n" + f.field;
  return all;
}

/// `url` (postgresql://user@host...) with the password put into its user part.
std::string with_password(const std::string& url) {
  const auto at = url.find('@');
  EXPECT_NE(at, std::string::npos) << url;
  return url.substr(0, at) + ":" + escaped + url.substr(at);
}

void expect_secret_kept(const std::string& text) {
  EXPECT_THAT(text, Not(HasSubstr(password)));
  EXPECT_THAT(text, Not(HasSubstr(escaped)));
  EXPECT_THAT(text, Not(HasSubstr("w0rd")));
}

TEST(Secrets, AReachableServerNeverShowsThePasswordInLogsOrErrors) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  CapturedLog log;
  // The throwaway server trusts loopback connections, so any password is accepted.
  auto store = optimist::open(with_password(optimist::testing::fresh_postgres_url(url)),
                              {.logger = log.logger()});
  ASSERT_TRUE(store) << store.error().message();
  auto tallies = optimist::Resource<Tally>::open(store.value()).value();
  auto members = optimist::Resource<Member>::open(store.value()).value();

  std::string errors;
  auto tally = tallies.create(optimist::set<&Tally::count>(1)).value();
  (void)tallies.update(tally, optimist::set<&Tally::count>(2)).value();
  for (const auto& e : {tallies.update(tally, optimist::set<&Tally::count>(3)).error(),
                        tallies.get(tally.id + 1000).error()}) {
    errors += shown(e);
  }
  (void)members.create(optimist::set<&Member::email>("a@example.org")).value();
  const auto duplicate = members.create(optimist::set<&Member::email>("a@example.org"));
  ASSERT_FALSE(duplicate);
  errors += shown(duplicate.error());

  const std::string logged = log.text();
  EXPECT_THAT(logged, HasSubstr("Tally.update"));  // the log did capture the operations
  expect_secret_kept(logged);
  expect_secret_kept(errors);
}

TEST(Secrets, AnUnreachableServerNeverShowsThePassword) {
  for (const std::string& url :
       {std::string("postgresql://someone:") + escaped + "@127.0.0.1:1/db?connect_timeout=2",
        std::string("postgresql:host=127.0.0.1 port=1 user=someone password='") + password +
            "' dbname=db connect_timeout=2"}) {
    SCOPED_TRACE(url);
    CapturedLog log;
    const auto store = optimist::open(url, {.logger = log.logger()});
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().kind, optimist::ErrorKind::unavailable);
    expect_secret_kept(shown(store.error()));
    expect_secret_kept(log.text());
  }
}

TEST(Secrets, AMalformedUrlNeverEchoesThePassword) {
  const std::string user = std::string("postgresql://someone:") + escaped;
  for (const std::string& url : {
           user + "@127.0.0.1:notaport/db",
           user + "@127.0.0.1/db?pool=many",
           user + "@127.0.0.1/db?busy_timeout=-1",
           user + "@127.0.0.1/db?statement_timeout=soon",
           user + "%zz@127.0.0.1/db",  // a bad escape inside the password itself
           std::string("postgresql:host=127.0.0.1 password='") + password + " dbname=db",
           std::string("postgresql:host=127.0.0.1 password=") + password + " pool=0",
       }) {
    SCOPED_TRACE(url);
    CapturedLog log;
    const auto store = optimist::open(url, {.logger = log.logger()});
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().kind, optimist::ErrorKind::invalid) << store.error().message();
    expect_secret_kept(shown(store.error()));
    expect_secret_kept(log.text());
  }
}

}  // namespace
