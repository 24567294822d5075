// SPDX-License-Identifier: MIT
// Text that looks dangerous but is valid, on every backend: SQL metacharacters, injection
// attempts, wildcards, placeholders, control characters, unusual Unicode, lengths exactly at
// the limit. Values are bound, never spliced into SQL, so each one is stored and read back
// byte for byte and the table is still there afterwards. Unique values that are taken are a
// conflict naming the attribute, however they are spelt.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "support/backend.hpp"
#include "support/matchers.hpp"
#include "support/profile.hpp"

namespace {

using optimist::ErrorKind;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using test_app::Profile;
using test_app::repeat;
using ::testing::ElementsAre;

/// A valid text for the handle (at most 16 code points, unique) or the bio (any length).
struct StoredText {
  std::string name;
  bool handle;  ///< the handle, else the bio
  std::string text;
};

const std::vector<StoredText> stored_texts = {
    {"SingleQuotes", true, "O'Brien's"},
    {"DoubleQuotes", true, "\"quoted\""},
    {"QuoteOrOneEqualsOne", true, "' OR '1'='1"},
    {"DropTableInjection", false, "'); DROP TABLE profiles; --"},
    {"DropTableQuotedIdentifier", false, "\"; DROP TABLE \"profiles\" CASCADE; --"},
    {"StackedStatements", false, "x'; DELETE FROM profiles; SELECT '"},
    {"Backslashes", false, "\\' \\\" \\\\ \\n \\0 \\x00"},
    {"LikeWildcards", true, "100%_off_%"},
    {"CommentsAndSemicolons", false, "a; b -- c /* d */ e #f"},
    {"DollarQuotes", false, "$$ $tag$ DROP TABLE profiles $tag$ $$"},
    {"PlaceholdersAndFormatBraces", false, ":handle ? $1 %s %n {} {0} @p"},
    {"ControlCharacters", false, "\t\n\r\x01\x1B\x7F"},
    {"UnicodeScripts", false, "\u00dcn\u00efc\u00f6d\u00e9 \u65e5\u672c\u8a9e \U0001F600"},
    {"BidiOverrideAndZeroWidth", true, "\u202Eabc\u200B\uFEFF"},
    {"HighestCodePointAndNoncharacter", true, "\U0010FFFF\uFFFF"},
    {"WhitespaceOnlyHandle", true, "   "},
    {"EmptyBio", false, ""},
    {"HandleAtLimitAscii", true, repeat("a", 16)},
    {"HandleAtLimitFourByte", true, repeat("\U0001F600", 16)},
    {"HandleAtLimitCombining", true, repeat("e\u0301", 8)},
    {"HandleAtLimitWordsThenTwoByte", true, repeat("a", 8) + repeat("\u00e9", 8)},
    {"HandleAtLimitTwoByteThenWords", true, "\u00e9" + repeat("a", 15)},
    {"BioOfHundredThousandCodePoints", false, repeat("\u00fc", 100'000)},
};

optimist::Result<Profile> create_with(const optimist::Resource<Profile>& profiles,
                                      const StoredText& c) {
  if (c.handle) return profiles.create(set<&Profile::handle>(c.text));
  return profiles.create(set<&Profile::handle>("created"), set<&Profile::bio>(c.text));
}

class StoredTextTest : public optimist::testing::BackendCaseTest<StoredText> {};
OPTIMIST_CONTRACT_CASES(StoredTextTest, stored_texts);

TEST_P(StoredTextTest, IsStoredAndReadBackByteForByte) {
  const StoredText& c = test_case();
  const optimist::Resource<Profile> profiles{store};
  const Profile other =
      profiles.create_or_throw(set<&Profile::handle>("other"), set<&Profile::bio>("before"));

  const auto created = create_with(profiles, c);
  ASSERT_THAT(created, IsOk());
  const Profile got = profiles.get_or_throw(created.value().id);
  EXPECT_EQ(c.handle ? got.handle : got.bio, c.text);
  EXPECT_EQ(got, created.value());

  // The same text written by an update, over another record.
  profiles.destroy_or_throw(got);
  const auto updated = c.handle ? profiles.update(other, set<&Profile::handle>(c.text))
                                : profiles.update(other, set<&Profile::bio>(c.text));
  ASSERT_THAT(updated, IsOk());
  const Profile reread = profiles.get_or_throw(other.id);
  EXPECT_EQ(c.handle ? reread.handle : reread.bio, c.text);
  EXPECT_EQ(reread.version, 2);

  // The table is still there, holding that record and nothing else.
  EXPECT_THAT(test_app::contents(profiles).records, ElementsAre(reread));
}

/// A handle that is taken: creating or renaming to it again is a conflict, in a unit too.
struct TakenHandle {
  std::string name;
  std::string handle;
};

const std::vector<TakenHandle> taken_handles = {
    {"Plain", "ada"},
    {"WithQuotes", "o'neil\"; --"},
    {"Multibyte", "\u65e5\u672c\U0001F600"},
    {"AtLimit", repeat("\u00e9", 16)},
};

class TakenHandleTest : public optimist::testing::BackendCaseTest<TakenHandle> {};
OPTIMIST_CONTRACT_CASES(TakenHandleTest, taken_handles);

TEST_P(TakenHandleTest, IsAConflictNamingTheAttributeAndWritesNothing) {
  const std::string& handle = test_case().handle;
  const optimist::Resource<Profile> profiles{store};
  const Profile owner = profiles.create_or_throw(set<&Profile::handle>(handle));
  const Profile other = profiles.create_or_throw(set<&Profile::handle>("other"));

  const auto created = profiles.create(set<&Profile::handle>(handle), set<&Profile::bio>("x"));
  ASSERT_THAT(created, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(created.error().constraint, "handle");
  EXPECT_EQ(created.error().resource, "Profile");
  EXPECT_EQ(created.error().action, "create");
  EXPECT_EQ(created.error().message().find(handle), std::string::npos)
      << "the conflicting value is echoed";

  const auto renamed =
      profiles.update(other, set<&Profile::handle>(handle), set<&Profile::karma>(5));
  ASSERT_THAT(renamed, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(renamed.error().constraint, "handle");
  EXPECT_EQ(renamed.error().action, "update");
  EXPECT_EQ(renamed.error().key, other.id);

  // Inside a unit of work the conflict also undoes the steps before it.
  const auto unit = optimist::Unit{}
                        .update("reward", other, set<&Profile::karma>(9))
                        .create<Profile>("join", set<&Profile::handle>(handle))
                        .run(store);
  ASSERT_THAT(unit, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(unit.error().step, "join");
  EXPECT_EQ(unit.error().constraint, "handle");

  EXPECT_THAT(test_app::contents(profiles).records, ElementsAre(owner, other));
}

class DistinctHandleTest : public optimist::testing::BackendTest {};
OPTIMIST_CONTRACT(DistinctHandleTest);

TEST_P(DistinctHandleTest, HandlesThatDifferInCaseSpaceOrNormalisationAreNotConflicts) {
  const optimist::Resource<Profile> profiles{store};
  for (const char* handle :
       {"ada", "Ada", "ADA", "ada ", " ada", "\u00e9", "e\u0301", "ada%", "ad_"}) {
    const auto r = profiles.create(set<&Profile::handle>(handle));
    ASSERT_THAT(r, IsOk()) << handle;
    EXPECT_EQ(profiles.get_or_throw(r.value().id).handle, handle);
  }
}

}  // namespace
