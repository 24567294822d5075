// SPDX-License-Identifier: MIT
// Every data layer operation is logged at debug level, without attribute values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "resources/address.hpp"
#include "support/matchers.hpp"

namespace {

using app::Address;
using optimist::set;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(Logging, TheDefaultLoggerWarnsOnly) {
  EXPECT_EQ(optimist::default_logger()->level(), spdlog::level::warn);
}

// A memory store whose logger writes to `out`, at the level a test sets.
class LoggedStore : public ::testing::Test {
 protected:
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  const optimist::Resource<Address> addresses{
      optimist::open("memory:", {.logger = logger}).value()};
};

TEST_F(LoggedStore, OperationsAreLoggedWithResourceActionKeyVersionsAndOutcomeButNoValues) {
  logger->set_level(spdlog::level::debug);
  const Address a =
      addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  (void)addresses.update_or_throw(a, set<&Address::county>("Guilford"));
  (void)addresses.update(a, set<&Address::county>("Miami-Dade"));
  (void)addresses.get(a.id + 100);
  logger->flush();
  const std::string log = out.str();

  EXPECT_THAT(log, HasSubstr("Address.create insert key=1 -> ok"));
  EXPECT_THAT(log, HasSubstr("Address.update update key=1 columns=1 expected_version=1 -> ok "
                             "version=2"));
  EXPECT_THAT(log, HasSubstr("expected_version=1 -> stale_record version=2"));
  EXPECT_THAT(log, HasSubstr("Address.read get key=101 -> not_found"));
  for (const char* value : {"Pinellas", "Guilford", "Miami-Dade", "FL"}) {
    EXPECT_THAT(log, Not(HasSubstr(value))) << "an attribute value reached the log";
  }
}

TEST_F(LoggedStore, ALoggerAboveDebugKeepsNoDebugMessageButItsBacktraceDoes) {
  logger->set_level(spdlog::level::info);
  const Address a =
      addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  logger->flush();
  EXPECT_EQ(out.str(), "");

  // spdlog's backtrace holds messages below the level until asked for them.
  logger->enable_backtrace(8);
  (void)addresses.get(a.id);
  EXPECT_EQ(out.str(), "");
  logger->dump_backtrace();
  logger->flush();
  EXPECT_THAT(out.str(), HasSubstr("Address.read get key=1 -> ok"));
}

// Schema work is done once per store and table: a second unit on the same tables, and a
// second Resource, check nothing again.
TEST(Logging, ASecondUnitOnTheSameTablesChecksNoSchema) {
  for (const char* url : {"memory:", "sqlite::memory:"}) {
    std::ostringstream out;
    const auto logger = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
    logger->set_level(spdlog::level::debug);
    const auto store = optimist::open(url, {.logger = logger}).value();
    const auto unit = [] {
      return optimist::Unit{}
          .create<Address>("a", set<&Address::state>("FL"), set<&Address::county>("Polk"))
          .create<Address>("b", set<&Address::state>("NC"), set<&Address::county>("Wake"));
    };
    ASSERT_TRUE(unit().run(store)) << url;
    logger->flush();
    EXPECT_THAT(out.str(), HasSubstr("ensure_schema table=addresses -> ok")) << url;
    out.str("");
    ASSERT_TRUE(unit().run(store)) << url;
    (void)optimist::Resource<Address>(store);
    logger->flush();
    EXPECT_THAT(out.str(), HasSubstr("Address.create insert")) << url;
    EXPECT_THAT(out.str(), Not(HasSubstr("ensure_schema"))) << url;
  }
}

}  // namespace
