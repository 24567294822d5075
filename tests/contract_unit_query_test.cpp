// SPDX-License-Identifier: MIT
// Query steps in units, on every backend: they run in the unit's transaction, see its earlier
// writes, and later steps use their results.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "resources/tag.hpp"
#include "support/backend.hpp"

namespace optimist::testing {
namespace {

using app::Tag;
using ::testing::ElementsAre;

class UnitQueryTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;
    tags.emplace(store);
    tags->create_or_throw(set<&Tag::owner_id>(1), set<&Tag::name>("cpp"));
    tags->create_or_throw(set<&Tag::owner_id>(2), set<&Tag::name>("go"));
  }

  std::optional<Resource<Tag>> tags;
};

TEST_P(UnitQueryTest, QueryStepsSeeEarlierWritesAndFeedLaterSteps) {
  auto unit =
      Unit{}
          .create<Tag>("rust", set<&Tag::owner_id>(1), set<&Tag::name>("rust"))
          .all<Tag>("mine", Query<Tag>(eq<&Tag::owner_id>(1)).order_by(asc<&Tag::name>))
          .exists<Tag>("has_go", eq<&Tag::name>("go"))
          .one<Tag>("cpp", [](const UnitResults&) { return Query<Tag>(eq<&Tag::name>("cpp")); })
          .update<Tag>("rename", [](const UnitResults& rs) {
            return std::tuple{rs.get<Tag>("cpp"), set<&Tag::name>("c++")};
          });
  auto r = unit.run(store);
  ASSERT_TRUE(r) << r.error();
  std::vector<std::string> names;
  for (const Tag& t : r.value().get<std::vector<Tag>>("mine")) names.push_back(t.name);
  EXPECT_THAT(names, ElementsAre("cpp", "rust"));
  EXPECT_TRUE(r.value().get<bool>("has_go"));
  EXPECT_EQ(tags->one(eq<&Tag::owner_id>(1) && eq<&Tag::name>("c++")).value().version, 2);
  EXPECT_EQ(r.value().get<Tag>("cpp").name, "cpp");
}

TEST_P(UnitQueryTest, AOneStepThatFindsNothingFailsTheUnitAndDropsQueryResults) {
  auto unit = Unit{}
                  .create<Tag>("rust", set<&Tag::owner_id>(1), set<&Tag::name>("rust"))
                  .all<Tag>("mine", Query<Tag>(eq<&Tag::owner_id>(1)))
                  .one<Tag>("java", Query<Tag>(eq<&Tag::name>("java")));
  EXPECT_EQ(unit.steps().back(), (StepInfo{"java", StepKind::query, "Tag"}));
  auto r = unit.run(store);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::not_found);
  EXPECT_EQ(r.error().step, "java");
  EXPECT_FALSE(r.error().completed.contains("mine"));  // it held the rolled-back "rust"
  EXPECT_EQ(tags->count().value(), 2);
}

OPTIMIST_CONTRACT(UnitQueryTest);

}  // namespace
}  // namespace optimist::testing
