// SPDX-License-Identifier: MIT
// Identities on every backend: a composite identity refuses a second record with the same
// values in all its attributes, whichever write would make it (create, update, atomic
// change), names itself in the conflict and lets nothing be written; the same value in one of
// its attributes alone, or a NULL in any, is no conflict; destroyed and rolled-back records
// free their values. A table that existed before its definition declared identities gets
// their indexes when the definition opens on it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optimist/optimist.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "resources/tag.hpp"
#include "support/backend.hpp"
#include "support/matchers.hpp"

namespace app {

inline void PrintTo(const Tag& t, std::ostream* os) {
  *os << "{id " << t.id << ", version " << t.version << ", owner " << t.owner_id << ", \"" << t.name
      << "\", slug " << (t.slug ? "\"" + *t.slug + "\"" : "null") << "}";
}

}  // namespace app

namespace test_app {

/// The tags table as an earlier version of the program defined it: Tag's columns, without
/// the identities.
struct OldTag {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t owner_id = 0;
  std::string name;
  std::optional<std::string> slug;
  std::optional<std::string> color;
  double weight = 1.0;
  bool pinned = false;
};

}  // namespace test_app

template <>
struct optimist::Definition<test_app::OldTag> {
  using Old = test_app::OldTag;
  static constexpr auto resource = optimist::resource<Old>(
      "Tag", "tags", optimist::primary_key<&Old::id>("id"),
      optimist::version<&Old::version>("version"), optimist::attribute<&Old::owner_id>("owner_id"),
      optimist::attribute<&Old::name>("name"), optimist::attribute<&Old::slug>("slug"),
      optimist::attribute<&Old::color>("color"), optimist::attribute<&Old::weight>("weight"),
      optimist::attribute<&Old::pinned>("pinned"));
  using create = optimist::Create<"create", &Old::owner_id, &Old::name>;
};

namespace {

using app::Tag;
using optimist::ErrorKind;
using optimist::increment;
using optimist::Resource;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using test_app::OldTag;
using ::testing::ElementsAre;

/// Every Tag stored, in key order: the keys below that of a tag created (then destroyed)
/// for the purpose.
std::vector<Tag> contents(const Resource<Tag>& tags) {
  const Tag probe =
      tags.create_or_throw(set<&Tag::owner_id>(-1), set<&Tag::name>("contents-probe"));
  std::vector<Tag> out;
  for (std::int64_t key = 1; key < probe.id; ++key) {
    auto found = tags.get(key);
    if (found) {
      out.push_back(std::move(found).value());
    } else if (found.error().kind != ErrorKind::not_found) {
      throw optimist::Exception(found.error());
    }
  }
  tags.destroy_or_throw(probe);
  return out;
}

optimist::Result<Tag> create(const Resource<Tag>& tags, std::int64_t owner, const char* name,
                             std::optional<std::string> slug = std::nullopt) {
  return tags.create(set<&Tag::owner_id>(owner), set<&Tag::name>(name),
                     set<&Tag::slug>(std::move(slug)));
}

/// A store holding one tag: owner 1 names it "red", without a slug.
class IdentityTest : public optimist::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;  // the backend is missing: the base fixture failed or skipped
    tags.emplace(store);
    red = create(*tags, 1, "red").value();
  }

  std::optional<Resource<Tag>> tags;
  Tag red;
};
OPTIMIST_CONTRACT(IdentityTest);

TEST_P(IdentityTest, ACreateRepeatingBothValuesIsAConflictNamingTheIdentity) {
  const auto again = create(*tags, 1, "red");
  ASSERT_THAT(again, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(again.error().constraint, "by_owner_and_name");
  EXPECT_EQ(again.error().resource, "Tag");
  EXPECT_EQ(again.error().action, "create");
  EXPECT_THAT(contents(*tags), ElementsAre(red));
}

TEST_P(IdentityTest, AnUpdateRepeatingBothValuesIsAConflictAndChangesNothing) {
  const Tag blue = create(*tags, 1, "blue").value();
  const auto renamed = tags->update(blue, set<&Tag::name>("red"));
  ASSERT_THAT(renamed, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(renamed.error().constraint, "by_owner_and_name");
  EXPECT_EQ(renamed.error().action, "update");

  const Tag other = create(*tags, 2, "red").value();
  const auto moved = tags->update(other, set<&Tag::owner_id>(1));
  ASSERT_THAT(moved, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(moved.error().constraint, "by_owner_and_name");
  EXPECT_THAT(contents(*tags), ElementsAre(red, blue, other));
}

TEST_P(IdentityTest, AnAtomicChangeRepeatingBothValuesIsAConflictAndChangesNothing) {
  const Tag other = create(*tags, 2, "red").value();
  const auto moved = tags->change(red, increment<&Tag::owner_id>(1));
  ASSERT_THAT(moved, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(moved.error().constraint, "by_owner_and_name");
  EXPECT_THAT(contents(*tags), ElementsAre(red, other));
  ASSERT_THAT(tags->change(red, increment<&Tag::owner_id>(2)), IsOk());  // to owner 3: free
}

TEST_P(IdentityTest, TheSameValueInOneAttributeAloneIsNoConflict) {
  ASSERT_THAT(create(*tags, 2, "red"), IsOk());
  ASSERT_THAT(create(*tags, 1, "blue"), IsOk());
  const auto moved = tags->update(red, set<&Tag::owner_id>(3));
  ASSERT_THAT(moved, IsOk());
  ASSERT_THAT(create(*tags, 1, "red"), IsOk());  // the pair it left is free
  EXPECT_THAT(create(*tags, 3, "red"), HasErrorKind(ErrorKind::conflict));
}

TEST_P(IdentityTest, RecordsWithANullInTheIdentityNeverConflict) {
  // red has no slug: owner 1 may have any number of tags without one.
  ASSERT_THAT(create(*tags, 1, "blue"), IsOk());
  const Tag green = create(*tags, 1, "green", "g").value();
  const auto taken = create(*tags, 1, "lime", "g");
  ASSERT_THAT(taken, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(taken.error().constraint, "by_owner_and_slug");

  ASSERT_THAT(tags->update(green, set<&Tag::slug>(std::nullopt)), IsOk());
  EXPECT_THAT(create(*tags, 1, "lime", "g"), IsOk());
}

TEST_P(IdentityTest, ADestroyedRecordsValuesAreFreeAgain) {
  ASSERT_THAT(tags->destroy(red), IsOk());
  EXPECT_THAT(create(*tags, 1, "red"), IsOk());
}

TEST_P(IdentityTest, RolledBackWritesLeaveTheirValuesAsTheyWere) {
  {
    auto tx = store->begin().value();
    const Resource<Tag> in = tags->in(*tx);
    ASSERT_THAT(in.update(red, set<&Tag::name>("green")), IsOk());
    ASSERT_THAT(create(in, 1, "blue"), IsOk());
    ASSERT_THAT(tx->rollback(), IsOk());
  }
  EXPECT_THAT(create(*tags, 1, "green"), IsOk());
  EXPECT_THAT(create(*tags, 1, "blue"), IsOk());
  const auto again = create(*tags, 1, "red");
  ASSERT_THAT(again, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(again.error().constraint, "by_owner_and_name");
}

class IdentityIndexTest : public optimist::testing::BackendTest {};
OPTIMIST_CONTRACT(IdentityIndexTest);

TEST_P(IdentityIndexTest, ATableCreatedWithoutTheIdentitiesGetsThemWhenTheDefinitionOpens) {
  const Resource<OldTag> old{store};
  ASSERT_THAT(old.create(set<&OldTag::owner_id>(1), set<&OldTag::name>("red")), IsOk());

  const auto reopened = GetParam().reopen(store);
  ASSERT_THAT(reopened, IsOk());
  const Resource<Tag> tags{reopened.value()};
  const auto again = create(tags, 1, "red");
  ASSERT_THAT(again, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(again.error().constraint, "by_owner_and_name");
  // The index holds for every writer, the earlier definition's too.
  EXPECT_THAT(old.create(set<&OldTag::owner_id>(1), set<&OldTag::name>("red")),
              HasErrorKind(ErrorKind::conflict));
  EXPECT_THAT(create(tags, 1, "blue"), IsOk());
}

TEST_P(IdentityIndexTest, StoredRecordsThatRepeatValuesKeepTheDefinitionFromOpening) {
  const Resource<OldTag> old{store};
  ASSERT_THAT(old.create(set<&OldTag::owner_id>(1), set<&OldTag::name>("red")), IsOk());
  ASSERT_THAT(old.create(set<&OldTag::owner_id>(1), set<&OldTag::name>("red")), IsOk());

  const auto reopened = GetParam().reopen(store);
  ASSERT_THAT(reopened, IsOk());
  const auto tags = Resource<Tag>::open(reopened.value());
  ASSERT_THAT(tags, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(tags.error().constraint, "by_owner_and_name");
  EXPECT_EQ(tags.error().resource, "Tag");
  // The table is as it was: the earlier definition goes on writing to it.
  EXPECT_THAT(old.create(set<&OldTag::owner_id>(1), set<&OldTag::name>("red")), IsOk());
}

}  // namespace
