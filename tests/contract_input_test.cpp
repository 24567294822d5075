// SPDX-License-Identifier: MIT
// Dynamic input (create_from, update_from) on every backend: what it sets, how it converts,
// and that it locks, runs in units and transactions like the typed calls.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "support/faulty_store.hpp"
#include "support/profile_fixture.hpp"

namespace {

using app::Profile;
using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::Filter;
using optimist::Input;
using optimist::Unit;
using optimist::Value;
using optimist::testing::FaultyStore;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using optimist::testing::IsRefused;
using Errors = std::vector<FieldError>;

class InputTest : public optimist::testing::ProfileTest {};
OPTIMIST_CONTRACT(InputTest);

TEST_P(InputTest, CreateFromSetsEveryKindOfValueAndKeepsDefaults) {
  const Input input{{"handle", std::string("bob")},   {"bio", std::string("Caf\xC3\xA9 owner")},
                    {"age", Value{std::int64_t{41}}}, {"rating", Value{4.5}},
                    {"listed", Value{false}},         {"referrer", Value{ann.id}}};
  auto created = profiles->create_from(input);
  ASSERT_THAT(created, IsOk());
  const Profile& bob = created.value();
  EXPECT_GT(bob.id, ann.id);
  EXPECT_EQ(bob.version, 1);
  EXPECT_EQ(bob.handle, "bob");
  EXPECT_EQ(bob.bio, "Caf\xC3\xA9 owner");
  EXPECT_EQ(bob.age, 41);
  EXPECT_EQ(bob.rating, 4.5F);
  EXPECT_FALSE(bob.listed);
  EXPECT_EQ(bob.referrer, ann.id);
  EXPECT_FALSE(bob.admin) << "not given, not accepted: the struct's default";
  EXPECT_EQ(profiles->get_or_throw(bob.id), bob);

  EXPECT_EQ(ann.bio, std::nullopt) << "attributes not given keep the struct's defaults";
  EXPECT_TRUE(ann.listed);
  EXPECT_EQ(profiles->get_or_throw(ann.id), ann);
}

TEST_P(InputTest, IntegersConvertToFloatingPointWhenExactAndNullEmptiesOptionals) {
  const Profile carl = profiles->create_from_or_throw({{"handle", std::string("carl")},
                                                       {"rating", Value{std::int64_t{16'777'216}}},
                                                       {"bio", Value{}},
                                                       {"referrer", Value{}}});
  EXPECT_EQ(carl.rating, 16'777'216.0F);
  EXPECT_EQ(carl.bio, std::nullopt);
  EXPECT_EQ(carl.referrer, std::nullopt);

  const Profile with_bio = profiles->update_from_or_throw(carl, {{"bio", std::string("hi")}});
  const Profile cleared = profiles->update_from_or_throw(with_bio, {{"bio", Value{}}});
  EXPECT_EQ(cleared.bio, std::nullopt);
  EXPECT_EQ(cleared.version, 3);
  EXPECT_EQ(profiles->get_or_throw(carl.id), cleared);
}

TEST_P(InputTest, UpdateFromAppliesTheInputAndAddsOneToTheVersion) {
  auto updated = profiles->update_from(
      ann,
      {{"handle", std::string("anna")}, {"age", Value{std::int64_t{35}}}, {"rating", Value{3.25}}});
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated.value().version, 2);
  EXPECT_EQ(updated.value().handle, "anna");
  EXPECT_EQ(updated.value().age, 35);
  EXPECT_EQ(updated.value().rating, 3.25F);
  EXPECT_EQ(profiles->get_or_throw(ann.id), updated.value()) << "what update returns is stored";
}

TEST_P(InputTest, UpdateFromWithUnchangedValuesChecksTheVersionButKeepsIt) {
  auto same = profiles->update_from(
      ann, {{"handle", std::string("ann")}, {"age", Value{std::int64_t{34}}}});
  ASSERT_THAT(same, IsOk());
  EXPECT_EQ(same.value().version, 1);
  ASSERT_THAT(profiles->update_from(ann, {}), IsOk());
  expect_ann_unchanged();

  (void)profiles->update_from_or_throw(ann, {{"age", Value{std::int64_t{35}}}});
  EXPECT_THAT(profiles->update_from(ann, {{"age", Value{std::int64_t{35}}}}),
              HasErrorKind(ErrorKind::stale_record));
  EXPECT_THAT(profiles->update_from(ann, {}), HasErrorKind(ErrorKind::stale_record));
}

TEST_P(InputTest, UpdateFromAStaleCopyIsStaleRecordAndWritesNothing) {
  const Profile moved = profiles->update_from_or_throw(ann, {{"handle", std::string("anna")}});
  auto stale = profiles->update_from(ann, {{"handle", std::string("annie")}});
  ASSERT_THAT(stale, HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(stale.error().resource, "Profile");
  EXPECT_EQ(stale.error().action, "update");
  EXPECT_EQ(stale.error().key, ann.id);
  EXPECT_EQ(stale.error().filter, (Filter{"version", 1}));
  EXPECT_EQ(stale.error().stored_version, 2);
  EXPECT_EQ(profiles->get_or_throw(ann.id), moved);

  Profile ghost = moved;
  ghost.id = last_key + 1000;
  EXPECT_THAT(profiles->update_from(ghost, {{"handle", std::string("x")}}),
              HasErrorKind(ErrorKind::not_found));
}

TEST_P(InputTest, AnotherActionIsATemplateArgumentWithItsOwnAcceptList) {
  using Promote = optimist::Definition<Profile>::promote;
  EXPECT_THAT(profiles->update_from(ann, {{"admin", Value{true}}}),
              IsRefused("update", (Errors{{"admin", FieldReason::not_accepted}})));
  EXPECT_THAT(profiles->update_from<Promote>(ann, {{"handle", std::string("root")}}),
              IsRefused("promote", (Errors{{"handle", FieldReason::not_accepted}})));
  expect_ann_unchanged();

  auto promoted = profiles->update_from<Promote>(ann, {{"admin", Value{true}}});
  ASSERT_THAT(promoted, IsOk());
  EXPECT_TRUE(promoted.value().admin);
  EXPECT_EQ(promoted.value().version, 2);
  EXPECT_TRUE(profiles->get_or_throw(ann.id).admin);
}

TEST_P(InputTest, UnitStepsTakeTheResourceFirstThenTheAction) {
  using Promote = optimist::Definition<Profile>::promote;
  const auto refused =
      Unit{}
          .update_from<Profile, Promote>("promote", ann, {{"handle", std::string("root")}})
          .run(store);
  EXPECT_THAT(refused, IsRefused("promote", (Errors{{"handle", FieldReason::not_accepted}})));
  EXPECT_EQ(refused.error().step, "promote");
  expect_ann_unchanged();

  const auto done =
      Unit{}
          .update<Profile, Promote>("promote", ann, optimist::set<&Profile::admin>(true))
          .run(store);
  ASSERT_THAT(done, IsOk());
  const Profile& promoted = done.value().get<Profile>("promote");
  EXPECT_TRUE(promoted.admin);
  EXPECT_EQ(promoted.version, 2);

  const auto demoted =
      Unit{}
          .update_from<Profile, Promote>("demote", promoted, {{"admin", Value{false}}})
          .run(store);
  ASSERT_THAT(demoted, IsOk());
  EXPECT_EQ(profiles->get_or_throw(ann.id), demoted.value().get<Profile>("demote"));
  EXPECT_FALSE(profiles->get_or_throw(ann.id).admin);
}

TEST_P(InputTest, UnitStepsTakeDynamicInputAllOrNothing) {
  const auto done = Unit{}
                        .create_from<Profile>("invitee", {{"handle", std::string("dora")},
                                                          {"referrer", Value{ann.id}}})
                        .update_from("inviter", ann, {{"bio", std::string("invites people")}})
                        .run(store);
  ASSERT_THAT(done, IsOk());
  const Profile& dora = done.value().get<Profile>("invitee");
  EXPECT_EQ(dora.referrer, ann.id);
  EXPECT_EQ(profiles->get_or_throw(dora.id), dora);
  const Profile& inviter = done.value().get<Profile>("inviter");
  EXPECT_EQ(inviter.version, 2);
  EXPECT_EQ(profiles->get_or_throw(ann.id), inviter);

  const auto failed = Unit{}
                          .create_from<Profile>("invitee", {{"handle", std::string("eve")}})
                          .update_from("inviter", ann, {{"bio", std::string("stale copy")}})
                          .run(store);
  ASSERT_THAT(failed, HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(failed.error().step, "inviter");
  EXPECT_FALSE(failed.error().completed.contains("invitee")) << "a rolled-back create is reported";

  const auto refused = Unit{}
                           .create_from<Profile>("invitee", {{"handle", std::string("eve")}})
                           .update_from("inviter", inviter, {{"admin", Value{true}}})
                           .run(store);
  ASSERT_THAT(refused, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(refused.error().step, "inviter");
  EXPECT_EQ(refused.error().fields, (Errors{{"admin", FieldReason::not_accepted}}));
  // Refused before the unit's transaction opened: the create before it never ran.
  EXPECT_FALSE(refused.error().completed.contains("invitee"));
  EXPECT_EQ(profiles->get_or_throw(ann.id), inviter);
}

TEST_P(InputTest, TransactionBoundResourceTakesDynamicInput) {
  auto tx = store->begin();
  ASSERT_THAT(tx, IsOk());
  const auto in_tx = profiles->in(*tx.value());
  const Profile fay = in_tx.create_from_or_throw({{"handle", std::string("fay")}});
  EXPECT_EQ(in_tx.update_from_or_throw(ann, {{"age", Value{std::int64_t{50}}}}).version, 2);
  EXPECT_EQ(in_tx.get_or_throw(fay.id).handle, "fay") << "a transaction reads its writes";
  ASSERT_THAT(tx.value()->rollback(), IsOk());

  EXPECT_THAT(profiles->get(fay.id), HasErrorKind(ErrorKind::not_found));
  expect_ann_unchanged();
}

TEST_P(InputTest, RefusedInputMakesNoDataCallAndDataLayerErrorsPassThrough) {
  const auto faulty = std::make_shared<FaultyStore>(store);
  const optimist::Resource<Profile> through{faulty};
  const std::int64_t before = faulty->calls();
  EXPECT_THAT(through.create_from({{"admin", Value{true}}}), HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(through.update_from(ann, {{"age", Value{1.5}}}), HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(faulty->calls(), before) << "validation runs before any data-layer call";

  faulty->fail_call(before + 1, optimist::make_error(ErrorKind::unavailable));
  auto created = through.create_from({{"handle", std::string("gus")}});
  ASSERT_THAT(created, HasErrorKind(ErrorKind::unavailable));
  EXPECT_EQ(created.error().resource, "Profile");
  EXPECT_EQ(created.error().action, "create");
  expect_no_record_created();

  faulty->fail_call(before + 2, optimist::make_error(ErrorKind::unavailable));
  auto updated = through.update_from(ann, {{"age", Value{std::int64_t{60}}}});
  ASSERT_THAT(updated, HasErrorKind(ErrorKind::unavailable));
  EXPECT_EQ(updated.error().action, "update");
  EXPECT_EQ(updated.error().key, ann.id);
  expect_ann_unchanged();
}

}  // namespace
