// SPDX-License-Identifier: MIT
// get_by on every backend: one record by a composite identity or a unique attribute.
#include <gtest/gtest.h>

#include "resources/tag.hpp"
#include "support/member_fixture.hpp"

namespace optimist::testing {
namespace {

using app::Tag;

class GetByTest : public MemberTest {};

TEST_P(GetByTest, FindsByACompositeIdentityOrAUniqueAttribute) {
  Resource<Tag> tags(store);
  const Tag red = tags.create_or_throw(set<&Tag::owner_id>(1), set<&Tag::name>("red"));
  tags.create_or_throw(set<&Tag::owner_id>(2), set<&Tag::name>("red"));
  auto found = tags.get_by<"by_owner_and_name">(1, "red");
  ASSERT_TRUE(found) << found.error();
  EXPECT_EQ(found.value(), red);
  auto missing = tags.get_by<"by_owner_and_name">(3, "red");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_EQ(missing.error().resource, "Tag");

  auto by_email = members->get_by<"email">("ada@example.org");
  ASSERT_TRUE(by_email) << by_email.error();
  EXPECT_EQ(by_email.value().id, ada.id);
}

OPTIMIST_CONTRACT(GetByTest);

}  // namespace
}  // namespace optimist::testing
