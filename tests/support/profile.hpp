// SPDX-License-Identifier: MIT
// Profile: a member's public profile, with a unique handle and text of every constraint; the
// resource of the bad-input tests. contents() tells what a store holds, to prove that a
// refused call wrote nothing; WithOneProfile starts each case from one stored record.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optimist/optimist.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "support/backend.hpp"

namespace test_app {

struct Profile {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string handle;                ///< required, unique, at most 16 code points
  std::string bio;                   ///< any length, may be empty
  std::optional<std::string> motto;  ///< may be absent; at most 8 code points
  std::int64_t karma = 0;
  double rating = 0;

  friend bool operator==(const Profile&, const Profile&) = default;
};

inline void PrintTo(const Profile& p, std::ostream* os) {
  *os << "{id " << p.id << ", version " << p.version << ", handle \"" << p.handle << "\", "
      << p.bio.size() << " bytes of bio, karma " << p.karma << ", rating " << p.rating << "}";
}

}  // namespace test_app

template <>
struct optimist::Definition<test_app::Profile> {
  using Profile = test_app::Profile;
  static constexpr auto resource = optimist::resource<Profile>(
      "Profile", "profiles", optimist::primary_key<&Profile::id>("id"),
      optimist::version<&Profile::version>("version"),
      optimist::attribute<&Profile::handle>("handle",
                                            {.required = true, .max_length = 16, .unique = true}),
      optimist::attribute<&Profile::bio>("bio"),
      optimist::attribute<&Profile::motto>("motto", {.max_length = 8}),
      optimist::attribute<&Profile::karma>("karma"),
      optimist::attribute<&Profile::rating>("rating"));

  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Profile::handle, &Profile::bio, &Profile::motto,
                                  &Profile::karma, &Profile::rating>;
  using update = optimist::Update<"update", &Profile::handle, &Profile::bio, &Profile::motto,
                                  &Profile::karma, &Profile::rating>;
  using destroy = optimist::Destroy<"destroy">;
};

namespace test_app {

/// `s` written `times` times over.
inline std::string repeat(std::string_view s, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += s;
  return out;
}

/// What a store holds of Profile, found by reading every key below that of a record created
/// (then destroyed) for the purpose.
struct Contents {
  std::vector<Profile> records;  ///< in key order
  std::int64_t next_key = 0;     ///< the key the store gave the next new record
};

/// The Profiles stored now. Throws optimist::Exception when the store fails.
inline Contents contents(const optimist::Resource<Profile>& profiles) {
  const Profile probe = profiles.create_or_throw(optimist::set<&Profile::handle>("contents-probe"));
  Contents out{.records = {}, .next_key = probe.id};
  for (std::int64_t key = 1; key < probe.id; ++key) {
    auto found = profiles.get(key);
    if (found) {
      out.records.push_back(std::move(found).value());
    } else if (found.error().kind != optimist::ErrorKind::not_found) {
      throw optimist::Exception(found.error());
    }
  }
  profiles.destroy_or_throw(probe);
  return out;
}

/// A case-table fixture whose store holds one Profile, `kept` (key 1, version 1).
template <class Case>
class WithOneProfile : public optimist::testing::BackendCaseTest<Case> {
 protected:
  void SetUp() override {
    optimist::testing::BackendCaseTest<Case>::SetUp();
    if (::testing::Test::HasFatalFailure() || ::testing::Test::IsSkipped()) return;
    profiles.emplace(optimist::Resource<Profile>{this->store});
    kept = profiles->create_or_throw(optimist::set<&Profile::handle>("kept"),
                                     optimist::set<&Profile::karma>(7));
    ASSERT_EQ(kept.id, 1);
  }

  /// Asserts that the store holds `expected` alone, and that no insert reached it.
  void expect_only(const Profile& expected) const {
    const auto after = contents(*profiles);
    EXPECT_THAT(after.records, ::testing::ElementsAre(expected));
    EXPECT_EQ(after.next_key, expected.id + 1) << "a refused call inserted a row";
  }

  std::optional<optimist::Resource<Profile>> profiles;
  Profile kept;
};

}  // namespace test_app
