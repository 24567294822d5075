// SPDX-License-Identifier: MIT
// The foundation's behaviour through the code interface, on every backend.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "resources/address.hpp"
#include "support/backend.hpp"
#include "support/matchers.hpp"

namespace {

using app::Address;
using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::Filter;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class AddressTest : public optimist::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;  // the backend is missing: the base fixture failed or skipped
    auto opened = optimist::Resource<Address>::open(store);
    ASSERT_THAT(opened, IsOk());
    addresses.emplace(std::move(opened).value());
  }

  Address create(std::string state, std::string county) {
    return addresses->create_or_throw(set<&Address::state>(std::move(state)),
                                      set<&Address::county>(std::move(county)));
  }

  std::optional<optimist::Resource<Address>> addresses;
};
OPTIMIST_CONTRACT(AddressTest);

TEST_P(AddressTest, WalkthroughDetectsTheStaleCopyAndAcceptsTheFreshOne) {
  const Address address = create("FL", "Pinellas");
  EXPECT_GT(address.id, 0);
  EXPECT_EQ(address.version, 1);

  auto moved =
      addresses->update(address, set<&Address::state>("NC"), set<&Address::county>("Guilford"));
  ASSERT_THAT(moved, IsOk());
  EXPECT_EQ(moved.value().version, 2);
  EXPECT_EQ(moved.value().state, "NC");
  EXPECT_EQ(moved.value().county, "Guilford");

  auto stale = addresses->update(address, set<&Address::county>("Miami-Dade"));
  ASSERT_THAT(stale, HasErrorKind(ErrorKind::stale_record));
  const optimist::Error& e = stale.error();
  EXPECT_EQ(e.error_class(), optimist::ErrorClass::invalid);
  EXPECT_EQ(e.resource, "Address");
  EXPECT_EQ(e.action, "update");
  EXPECT_EQ(e.key, address.id);
  EXPECT_EQ(e.filter, (Filter{"version", 1}));
  EXPECT_EQ(e.stored_version, 2);

  auto fresh = addresses->get(address.id);
  ASSERT_THAT(fresh, IsOk());
  EXPECT_EQ(fresh.value().version, 2);
  EXPECT_EQ(fresh.value().county, "Guilford");

  auto done = addresses->update(fresh.value(), set<&Address::county>("Miami-Dade"));
  ASSERT_THAT(done, IsOk());
  EXPECT_EQ(done.value().version, 3);
  const Address stored = addresses->get_or_throw(address.id);
  EXPECT_EQ(stored.state, "NC");
  EXPECT_EQ(stored.county, "Miami-Dade");
  EXPECT_EQ(stored.version, 3);
}

TEST_P(AddressTest, ValueOnAnErrorThrowsExceptionWithTheSameError) {
  const Address address = create("FL", "Pinellas");
  (void)addresses->update_or_throw(address, set<&Address::county>("Guilford"));
  try {
    (void)addresses->update_or_throw(address, set<&Address::county>("Miami-Dade"));
    FAIL() << "a stale update did not throw";
  } catch (const optimist::Exception& ex) {
    EXPECT_EQ(ex.error().kind, ErrorKind::stale_record);
    EXPECT_EQ(ex.error().stored_version, 2);
  }
}

TEST_P(AddressTest, CreatedRecordsGetDistinctKeysAndStartAtVersionOne) {
  const Address a = create("FL", "Pinellas");
  const Address b = create("NC", "Guilford");
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(b.version, 1);
  EXPECT_EQ(addresses->get_or_throw(b.id).state, "NC");
  EXPECT_EQ(addresses->get_or_throw(a.id).county, "Pinellas");
}

TEST_P(AddressTest, EveryCommittedUpdateAddsOneToTheVersion) {
  Address a = create("FL", "Pinellas");
  for (int i = 0; i < 5; ++i) {
    a = addresses->update_or_throw(a, set<&Address::county>(i % 2 ? "Pinellas" : "Polk"));
    EXPECT_EQ(a.version, 2 + i);
  }
  EXPECT_EQ(addresses->get_or_throw(a.id).version, 6);
}

TEST_P(AddressTest, UpdateThatChangesNothingKeepsTheVersionButStillChecksIt) {
  const Address a = create("FL", "Pinellas");
  auto same = addresses->update(a, set<&Address::county>("Pinellas"));
  ASSERT_THAT(same, IsOk());
  EXPECT_EQ(same.value().version, 1);
  EXPECT_THAT(addresses->update(a), IsOk());
  EXPECT_EQ(addresses->get_or_throw(a.id).version, 1);

  (void)addresses->update_or_throw(a, set<&Address::county>("Polk"));
  auto stale = addresses->update(a, set<&Address::county>("Pinellas"));
  EXPECT_THAT(stale, HasErrorKind(ErrorKind::stale_record));
  EXPECT_THAT(addresses->update(a), HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(addresses->get_or_throw(a.id).county, "Polk");
}

TEST_P(AddressTest, MissingKeysAreNotFoundForGetUpdateAndDestroy) {
  const Address a = create("FL", "Pinellas");
  Address ghost = a;
  ghost.id = a.id + 1000;

  auto got = addresses->get(ghost.id);
  ASSERT_THAT(got, HasErrorKind(ErrorKind::not_found));
  EXPECT_EQ(got.error().key, ghost.id);
  EXPECT_EQ(got.error().action, "read");
  auto updated = addresses->update(ghost, set<&Address::county>("Polk"));
  ASSERT_THAT(updated, HasErrorKind(ErrorKind::not_found));
  EXPECT_EQ(updated.error().action, "update");
  auto destroyed = addresses->destroy(ghost);
  ASSERT_THAT(destroyed, HasErrorKind(ErrorKind::not_found));
  EXPECT_EQ(destroyed.error().action, "destroy");
  EXPECT_EQ(destroyed.error().key, ghost.id);
}

TEST_P(AddressTest, DestroyChecksTheVersion) {
  const Address a = create("FL", "Pinellas");
  const Address b = addresses->update_or_throw(a, set<&Address::county>("Polk"));

  auto stale = addresses->destroy(a);
  ASSERT_THAT(stale, HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(stale.error().filter, (Filter{"version", 1}));
  EXPECT_EQ(stale.error().stored_version, 2);
  EXPECT_THAT(addresses->get(a.id), IsOk());

  EXPECT_THAT(addresses->destroy(b), IsOk());
  EXPECT_THAT(addresses->get(a.id), HasErrorKind(ErrorKind::not_found));
  EXPECT_THAT(addresses->destroy(b), HasErrorKind(ErrorKind::not_found));
  EXPECT_THAT(addresses->update(b, set<&Address::county>("Lee")),
              HasErrorKind(ErrorKind::not_found));
}

// Found by differential testing (differential_test, seed 16): SQLite gave the key of the
// destroyed newest record to the next create, so the destroyed copy, still at version 1,
// updated and could destroy that stranger.
TEST_P(AddressTest, TheKeyOfADestroyedRecordIsNeverGivenToANewOne) {
  (void)create("FL", "Pinellas");
  const Address newest = create("NC", "Guilford");
  ASSERT_THAT(addresses->destroy(newest), IsOk());
  const Address next = create("GA", "Cobb");
  EXPECT_NE(next.id, newest.id);

  EXPECT_THAT(addresses->update(newest, set<&Address::county>("Wake")),
              HasErrorKind(ErrorKind::not_found));
  EXPECT_THAT(addresses->destroy(newest), HasErrorKind(ErrorKind::not_found));
  EXPECT_EQ(addresses->get_or_throw(next.id).county, "Cobb");
}

TEST_P(AddressTest, RequiredAttributeMissingOrEmptyIsInvalidAndWritesNothing) {
  auto missing = addresses->create(set<&Address::state>("FL"));
  ASSERT_THAT(missing, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(missing.error().action, "create");
  EXPECT_THAT(missing.error().fields, ElementsAre(FieldError{"county", FieldReason::required}));

  auto empty = addresses->create(set<&Address::state>("FL"), set<&Address::county>(""));
  ASSERT_THAT(empty, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(empty.error().fields, ElementsAre(FieldError{"county", FieldReason::required}));

  const Address a = create("FL", "Pinellas");
  auto cleared = addresses->update(a, set<&Address::county>(""));
  ASSERT_THAT(cleared, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(cleared.error().fields, ElementsAre(FieldError{"county", FieldReason::required}));
  const Address stored = addresses->get_or_throw(a.id);
  EXPECT_EQ(stored.county, "Pinellas");
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(a.id, create("NC", "Wake").id - 1) << "a refused create used up a key or a row";
}

TEST_P(AddressTest, ValueOverMaxLengthIsInvalidWithTheLimit) {
  auto r = addresses->create(set<&Address::state>("FLA"), set<&Address::county>("Pinellas"));
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(r.error().fields, ElementsAre(FieldError{"state", FieldReason::too_long, 2}));
  // Two code points of four bytes each: counted as characters, not bytes.
  EXPECT_THAT(addresses->create(set<&Address::state>("\xF0\x9F\x8C\xB4\xF0\x9F\x8C\xB4"),
                                set<&Address::county>("Pinellas")),
              IsOk());
}

TEST_P(AddressTest, SeveralFieldErrorsAreReportedTogether) {
  auto r = addresses->create(set<&Address::state>("Florida"), set<&Address::county>(""));
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(r.error().fields, UnorderedElementsAre(FieldError{"state", FieldReason::too_long, 2},
                                                     FieldError{"county", FieldReason::required}));
}

TEST_P(AddressTest, TextThatIsNotUtf8OrHoldsNulIsInvalid) {
  auto bad_utf8 = addresses->create(set<&Address::state>("FL"),
                                    set<&Address::county>(std::string("Pin\xC3\x28llas")));
  ASSERT_THAT(bad_utf8, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(bad_utf8.error().fields,
              ElementsAre(FieldError{"county", FieldReason::invalid_utf8}));
  auto nul = addresses->create(set<&Address::state>("FL"),
                               set<&Address::county>(std::string("Pin\0llas", 8)));
  ASSERT_THAT(nul, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(nul.error().fields, ElementsAre(FieldError{"county", FieldReason::contains_nul}));
}

TEST_P(AddressTest, VersionBelowOneIsInvalidBeforeAnyWrite) {
  Address a = create("FL", "Pinellas");
  a.version = 0;
  auto r = addresses->update(a, set<&Address::county>("Polk"));
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(r.error().fields, ElementsAre(FieldError{"version", FieldReason::out_of_range}));
  a.version = -5;
  EXPECT_THAT(addresses->destroy(a), HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(addresses->get_or_throw(a.id).county, "Pinellas");
}

TEST_P(AddressTest, ValuesAreStoredByteForByte) {
  const std::string nasty = "'; DROP TABLE addresses; -- \"x\" \\ %_ \xC3\xA9";
  const Address a = create("FL", nasty);
  EXPECT_EQ(addresses->get_or_throw(a.id).county, nasty);
}

}  // namespace
