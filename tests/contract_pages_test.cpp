// SPDX-License-Identifier: MIT
// Keyset pages on every backend: exact while records come and go between pages, with NULLs
// and descending keys in the cursor; and a cursor changed in any single character is refused.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "resources/tag.hpp"
#include "support/backend.hpp"

namespace optimist::testing {
namespace {

using app::Tag;
using ::testing::ElementsAre;

class PagesTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;
    tags.emplace(store);
  }
  Tag add(int i) {
    // Colors repeat and are missing for every third tag: the order has ties and NULLs.
    std::optional<std::string> color;
    if (i % 3 != 0) color = i % 2 == 0 ? "red" : "blue";
    return tags->create_or_throw(set<&Tag::owner_id>(1), set<&Tag::name>(fmt::format("t{:03}", i)),
                                 set<&Tag::color>(color));
  }
  std::optional<Resource<Tag>> tags;
};

TEST_P(PagesTest, NoRecordThatExistsThroughoutIsSkippedOrRepeated) {
  std::vector<Tag> made;
  for (int i = 0; i < 30; ++i) made.push_back(add(i));
  const auto q = Query<Tag>().order_by(desc<&Tag::color>, asc<&Tag::name>).limit(4);
  std::set<std::int64_t> destroyed;
  std::vector<std::int64_t> seen;
  std::string cursor;
  int next_new = 100;
  for (int page = 0; page < 40; ++page) {
    auto p = tags->page(q, cursor);
    ASSERT_TRUE(p) << p.error();
    for (const Tag& t : p.value().records) seen.push_back(t.id);
    if (!p.value().next) break;
    cursor = *p.value().next;
    // Between pages: a new tag, and one of the originals destroyed.
    add(next_new++);
    Tag& victim = made[static_cast<std::size_t>(page * 7 % 30)];
    if (!destroyed.contains(victim.id)) {
      ASSERT_TRUE(tags->destroy(victim));
      destroyed.insert(victim.id);
    }
  }
  const std::set<std::int64_t> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a record was repeated";
  for (const Tag& t : made) {
    if (!destroyed.contains(t.id)) {
      EXPECT_TRUE(unique.contains(t.id)) << t.name << " was skipped";
    }
  }
}

TEST_P(PagesTest, EverySingleCharacterChangeOfACursorIsRefused) {
  for (int i = 0; i < 5; ++i) add(i);
  // Cursors of several lengths, so that the last character carries unused bits in some.
  for (const auto& q : {Query<Tag>().order_by(asc<&Tag::color>).limit(2),
                        Query<Tag>().order_by(desc<&Tag::name>).limit(1),
                        Query<Tag>(starts_with<&Tag::name>("t0")).limit(3)}) {
    const std::string cursor = *tags->page(q).value().next;
    const std::string alphabet = "AZaz09-_+/=.%";
    for (std::size_t at = 0; at < cursor.size(); ++at) {
      for (const char c : alphabet) {
        if (c == cursor[at]) continue;
        std::string changed = cursor;
        changed[at] = c;
        auto r = tags->page(q, changed);
        ASSERT_FALSE(r) << "accepted with position " << at << " changed";
        ASSERT_THAT(r.error().fields, ElementsAre(FieldError{"cursor", FieldReason::malformed}));
      }
    }
  }
  const auto q = Query<Tag>().order_by(asc<&Tag::color>).limit(2);
  const std::string cursor = *tags->page(q).value().next;
  for (const std::string& bad : {cursor.substr(0, cursor.size() - 1), cursor + "A",
                                 std::string("A"), std::string(200, '_')}) {
    auto r = tags->page(q, bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
  }
  auto with_offset = tags->page(Query<Tag>(q).offset(1), cursor);
  ASSERT_FALSE(with_offset);
  EXPECT_THAT(with_offset.error().fields,
              ElementsAre(FieldError{"offset", FieldReason::not_accepted}));
}

OPTIMIST_CONTRACT(PagesTest);

}  // namespace
}  // namespace optimist::testing
