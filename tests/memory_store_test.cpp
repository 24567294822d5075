// SPDX-License-Identifier: MIT
// Behaviour particular to the in-memory store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "resources/address.hpp"
#include "support/matchers.hpp"

namespace {

using app::Address;
using optimist::ErrorKind;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;

TEST(MemoryStore, RefusesTheStoreOnTheThreadThatHoldsItsTransaction) {
  auto store = optimist::open("memory:").value();
  const optimist::Resource<Address> addresses{store};
  const Address a =
      addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  auto tx = store->begin();
  ASSERT_THAT(tx, IsOk());
  EXPECT_THAT(addresses.get(a.id), HasErrorKind(ErrorKind::unavailable));
  EXPECT_THAT(store->begin(), HasErrorKind(ErrorKind::unavailable));
  EXPECT_THAT(addresses.in(*tx.value()).get(a.id), IsOk());
  ASSERT_THAT(tx.value()->commit(), IsOk());
  EXPECT_THAT(addresses.get(a.id), IsOk());
}

TEST(MemoryStore, EachOpenIsAPrivateStore) {
  auto first = optimist::open("memory:").value();
  auto second = optimist::open("memory:").value();
  const Address a = optimist::Resource<Address>{first}.create_or_throw(
      set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  EXPECT_THAT(optimist::Resource<Address>{second}.get(a.id), HasErrorKind(ErrorKind::not_found));
}

TEST(Open, AnUnsupportedUrlIsInvalidAndNamesTheUrl) {
  for (const char* url : {"", "memory", "mongodb://localhost", "memory:extra"}) {
    auto r = optimist::open(url);
    ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid)) << url;
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "url");
    EXPECT_EQ(r.error().fields[0].reason, optimist::FieldReason::malformed);
  }
}

}  // namespace
