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

TEST(Logging, OperationsAreLoggedWithResourceActionKeyVersionsAndOutcomeButNoValues) {
  std::ostringstream out;
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger->set_level(spdlog::level::debug);
  auto store = optimist::open("memory:", {.logger = logger}).value();
  const optimist::Resource<Address> addresses{store};

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

}  // namespace
