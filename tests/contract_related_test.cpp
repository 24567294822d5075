// SPDX-License-Identifier: MIT
// Related records on every backend: the children of many parents and the parents of many
// children, each in one select (counted through FaultyStore), grouped by key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "resources/account.hpp"
#include "resources/phone.hpp"
#include "resources/profile.hpp"
#include "resources/transfer.hpp"
#include "resources/user.hpp"
#include "support/backend.hpp"
#include "support/faulty_store.hpp"
#include "support/matchers.hpp"

namespace optimist::testing {
namespace {

using app::Account;
using app::Phone;
using app::Profile;
using app::Transfer;
using app::User;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class RelatedTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;
    counted = std::make_shared<FaultyStore>(store);
    users.emplace(counted);
    phones.emplace(counted);
  }

  User user(std::string name) { return users->create_or_throw(set<&User::name>(std::move(name))); }
  Phone phone(const User& u, std::string number, std::optional<std::string> label = {}) {
    return phones->create_or_throw(set<&Phone::user_id>(u.id), set<&Phone::number>(number),
                                   set<&Phone::label>(std::move(label)));
  }
  static std::vector<std::string> numbers(std::span<const Phone> list) {
    std::vector<std::string> out;
    for (const Phone& p : list) out.push_back(p.number);
    return out;
  }

  std::shared_ptr<FaultyStore> counted;
  std::optional<Resource<User>> users;
  std::optional<Resource<Phone>> phones;
};

TEST_P(RelatedTest, ChildrenOfManyParentsComeInOneSelectGroupedByParent) {
  const User ann = user("ann"), bob = user("bob"), cyd = user("cyd");
  phone(bob, "555-0300");
  phone(ann, "555-0200", "work");
  phone(bob, "555-0100");
  phone(ann, "555-0400", "home");
  const std::vector<User> list{ann, bob, cyd};

  const std::int64_t before = counted->calls();
  auto grouped = phones->children_of<&Phone::user_id>(list);
  ASSERT_THAT(grouped, IsOk());
  EXPECT_EQ(counted->calls() - before, 1);  // one select for every parent, not one each
  // In the read action's default order, by number, within each user.
  EXPECT_THAT(numbers(grouped.value()[ann.id]), ElementsAre("555-0200", "555-0400"));
  EXPECT_THAT(numbers(grouped.value()[bob.id]), ElementsAre("555-0100", "555-0300"));
  EXPECT_THAT(grouped.value()[cyd.id], IsEmpty());
  EXPECT_EQ(grouped.value().find(cyd.id), nullptr);
  EXPECT_EQ(grouped.value().size(), 2U);
}

TEST_P(RelatedTest, ChildrenTakeTheQuerysFilterAndOrder) {
  const User ann = user("ann"), bob = user("bob");
  phone(ann, "555-0100", "home");
  phone(ann, "555-0200", "work");
  phone(ann, "555-0300", "work");
  phone(bob, "555-0400", "work");
  phone(bob, "555-0500");
  const std::vector<std::int64_t> keys{bob.id, ann.id, bob.id};  // keys, one of them twice
  auto work = phones->children_of<&Phone::user_id>(
      keys, Query<Phone>(eq<&Phone::label>("work")).order_by(desc<&Phone::number>));
  ASSERT_THAT(work, IsOk());
  EXPECT_THAT(numbers(work.value()[ann.id]), ElementsAre("555-0300", "555-0200"));
  EXPECT_THAT(numbers(work.value()[bob.id]), ElementsAre("555-0400"));
}

TEST_P(RelatedTest, NoParentsReadNothing) {
  user("ann");
  const std::int64_t before = counted->calls();
  auto none = phones->children_of<&Phone::user_id>(std::vector<User>{});
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none.value().empty());
  EXPECT_EQ(counted->calls(), before);
}

TEST_P(RelatedTest, ALimitOrAnOffsetIsRefused) {
  const User ann = user("ann");
  phone(ann, "555-0100");
  const std::vector<User> list{ann};
  auto limited = phones->children_of<&Phone::user_id>(list, Query<Phone>().limit(1));
  ASSERT_THAT(limited, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(limited.error().fields, ElementsAre(FieldError{"limit", FieldReason::not_accepted}));
  auto skipped = users->parents_of<&Phone::user_id>(std::vector<Phone>{}, Query<User>().offset(1));
  ASSERT_THAT(skipped, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(skipped.error().fields, ElementsAre(FieldError{"offset", FieldReason::not_accepted}));
}

TEST_P(RelatedTest, ManyKeysAreReadInBatchesOfTenThousand) {
  const User ann = user("ann"), bob = user("bob");
  phone(ann, "555-0100");
  phone(bob, "555-0200");
  // Keys of users that do not exist around the two that do: three batches in all.
  std::vector<std::int64_t> keys;
  for (std::int64_t k = 1'000'000; k < 1'000'000 + 25'000; ++k) keys.push_back(k);
  keys.insert(keys.begin() + 5, ann.id);
  keys.push_back(bob.id);
  const std::int64_t before = counted->calls();
  auto grouped = phones->children_of<&Phone::user_id>(keys);
  ASSERT_THAT(grouped, IsOk());
  EXPECT_EQ(counted->calls() - before, 3);
  EXPECT_THAT(numbers(grouped.value()[ann.id]), ElementsAre("555-0100"));
  EXPECT_THAT(numbers(grouped.value()[bob.id]), ElementsAre("555-0200"));
  EXPECT_EQ(grouped.value().size(), 2U);
}

TEST_P(RelatedTest, ParentsOfManyChildrenComeInOneSelectPerReference) {
  const Resource<Account> accounts{counted};
  const Resource<Transfer> transfers{counted};
  const Account a = accounts.create_or_throw(set<&Account::owner>("ann"));
  const Account b = accounts.create_or_throw(set<&Account::owner>("bob"));
  const Account c = accounts.create_or_throw(set<&Account::owner>("cyd"));
  std::vector<Transfer> list;
  for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, c}, std::pair{a, c}}) {
    list.push_back(transfers.create_or_throw(set<&Transfer::from_account>(from.id),
                                             set<&Transfer::to_account>(to.id),
                                             set<&Transfer::amount>(10)));
  }
  // A transfer from an account that does not exist has no parent.
  list.push_back(transfers.create_or_throw(set<&Transfer::from_account>(c.id + 100),
                                           set<&Transfer::to_account>(a.id),
                                           set<&Transfer::amount>(5)));

  const std::int64_t before = counted->calls();
  auto payers = accounts.parents_of<&Transfer::from_account>(list);
  auto payees = accounts.parents_of<&Transfer::to_account>(list);
  ASSERT_THAT(payers, IsOk());
  ASSERT_THAT(payees, IsOk());
  EXPECT_EQ(counted->calls() - before, 2);  // one select per reference, not one per transfer
  EXPECT_EQ(payers.value().size(), 2U);     // a and b; c's key + 100 matches nothing
  ASSERT_NE(payers.value().find(list[1].from_account), nullptr);
  EXPECT_EQ(payers.value().find(list[1].from_account)->owner, "bob");
  EXPECT_EQ(payers.value().find(list[3].from_account), nullptr);
  EXPECT_EQ(payees.value().size(), 3U);
  EXPECT_EQ(payees.value().find(list[0].to_account)->owner, "bob");
  EXPECT_EQ(payees.value().find(list[3].to_account)->owner, "ann");
  // Each parent is read once, however many children name it.
  EXPECT_EQ(payees.value()[c.id].size(), 1U);
}

TEST_P(RelatedTest, ParentsTakeTheQuerysFilter) {
  const User ann = user("ann"), bob = user("bob");
  const std::vector<Phone> list{phone(ann, "555-0100"), phone(bob, "555-0200")};
  auto named_bob = users->parents_of<&Phone::user_id>(list, eq<&User::name>("bob"));
  ASSERT_THAT(named_bob, IsOk());
  EXPECT_EQ(named_bob.value().find(ann.id), nullptr);
  ASSERT_NE(named_bob.value().find(bob.id), nullptr);
  EXPECT_EQ(named_bob.value().find(bob.id)->name, "bob");
}

TEST_P(RelatedTest, AnOptionalReferenceGroupsTheRecordsThatHoldOne) {
  // A profile's referrer is the profile that invited it, or none: a reference to its own
  // resource, held in a std::optional.
  const Resource<Profile> profiles{counted};
  const auto invite = [&](std::string handle, std::optional<std::int64_t> by) {
    return profiles.create_or_throw(set<&Profile::handle>(std::move(handle)),
                                    set<&Profile::referrer>(by));
  };
  const Profile ann = invite("ann", {});
  const Profile bob = invite("bob", ann.id);
  const Profile cyd = invite("cyd", ann.id);
  const Profile dee = invite("dee", bob.id);
  const std::vector<Profile> all{ann, bob, cyd, dee};

  auto invited = profiles.children_of<&Profile::referrer>(all);
  ASSERT_THAT(invited, IsOk());
  ASSERT_EQ(invited.value()[ann.id].size(), 2U);
  EXPECT_EQ(invited.value()[ann.id][0].handle, "bob");  // by primary key, the default order
  EXPECT_EQ(invited.value()[ann.id][1].handle, "cyd");
  ASSERT_EQ(invited.value()[bob.id].size(), 1U);
  EXPECT_EQ(invited.value()[bob.id][0].handle, "dee");
  EXPECT_EQ(invited.value().size(), 2U);

  const std::int64_t before = counted->calls();
  auto referrers = profiles.parents_of<&Profile::referrer>(all);  // ann has none: skipped
  ASSERT_THAT(referrers, IsOk());
  EXPECT_EQ(counted->calls() - before, 1);
  EXPECT_EQ(referrers.value().size(), 2U);
  EXPECT_EQ(referrers.value().find(*dee.referrer)->handle, "bob");
  EXPECT_EQ(referrers.value().find(*cyd.referrer)->handle, "ann");
}

TEST_P(RelatedTest, InsideATransactionRelatedRecordsIncludeItsOwnWrites) {
  const User ann = user("ann");
  phone(ann, "555-0100");
  const Resource<Phone> direct{store};
  auto tx = store->begin();
  ASSERT_THAT(tx, IsOk());
  const Resource<Phone> mine = direct.in(*tx.value());
  ASSERT_THAT(mine.create(set<&Phone::user_id>(ann.id), set<&Phone::number>("555-0200")), IsOk());
  const std::vector<User> list{ann};
  auto inside = mine.children_of<&Phone::user_id>(list);
  ASSERT_THAT(inside, IsOk());
  EXPECT_THAT(numbers(inside.value()[ann.id]), ElementsAre("555-0100", "555-0200"));
  ASSERT_THAT(tx.value()->rollback(), IsOk());
  auto after = direct.children_of<&Phone::user_id>(list);
  ASSERT_THAT(after, IsOk());
  EXPECT_THAT(numbers(after.value()[ann.id]), ElementsAre("555-0100"));
}

OPTIMIST_CONTRACT(RelatedTest);

}  // namespace
}  // namespace optimist::testing
