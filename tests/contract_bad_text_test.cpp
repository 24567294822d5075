// SPDX-License-Identifier: MIT
// Text that breaks a constraint, on every backend: empty where required, more code points
// than allowed, an embedded NUL, bytes that are not UTF-8. Each case is refused with its
// field and reason by create and by update alike, before anything is written.
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
using optimist::FieldError;
using optimist::FieldReason;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using test_app::Profile;
using test_app::repeat;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

/// The text attributes of Profile.
enum class Text { handle, bio, motto };

std::string name_of(Text t) {
  switch (t) {
    case Text::handle:
      return "handle";
    case Text::bio:
      return "bio";
    case Text::motto:
      return "motto";
  }
  return "?";
}

/// `text` given to one attribute; it must be refused for `reason`.
struct RefusedText {
  std::string name;
  Text attribute;
  std::string text;
  FieldReason reason;

  [[nodiscard]] FieldError expected() const {
    const std::int64_t limit = reason != FieldReason::too_long ? 0
                               : attribute == Text::handle     ? 16
                                                               : 8;
    return {name_of(attribute), reason, limit};
  }
};

using R = FieldReason;
const auto th = Text::handle;
const auto tb = Text::bio;
const auto tm = Text::motto;
const std::string nul(1, '\0');

const std::vector<RefusedText> refused_texts = {
    // Required: handle must be non-empty.
    {"HandleEmpty", th, "", R::required},
    // Over the limit, counted in code points (handle 16, motto 8), whatever their width.
    {"HandleOneOverAscii", th, repeat("a", 17), R::too_long},
    {"HandleOneOverTwoByte", th, repeat("\u00e9", 17), R::too_long},
    {"HandleOneOverThreeByte", th, repeat("\u20ac", 17), R::too_long},
    {"HandleOneOverFourByte", th, repeat("\U0001F600", 17), R::too_long},
    {"HandleCombiningMarksCountEach", th, repeat("e\u0301", 9), R::too_long},
    {"HandleFarOver", th, repeat("x", 10'000), R::too_long},
    {"MottoOneOverMixedWidths", tm, "ab\u20ac\U0001F600\u00e9\u00dfxyz", R::too_long},
    // NUL bytes, which C strings and PostgreSQL's text cannot hold; reported before length.
    {"HandleOnlyNul", th, nul, R::contains_nul},
    {"HandleEmbeddedNul", th, "ab" + nul + "cd", R::contains_nul},
    {"BioTrailingNul", tb, "bio" + nul, R::contains_nul},
    {"MottoLeadingNul", tm, nul + "motto", R::contains_nul},
    {"HandleNulAndTooLong", th, repeat("a", 20) + nul, R::contains_nul},
    // Behind whole words of ASCII, in each byte of the next word and in the tail.
    {"BioNulFirstByteOfSecondWord", tb, repeat("a", 8) + nul + repeat("b", 7), R::contains_nul},
    {"BioNulLastByteOfSecondWord", tb, repeat("a", 15) + nul, R::contains_nul},
    {"BioNulInTailAfterWords", tb, repeat("a", 17) + nul + "z", R::contains_nul},
    {"BioNulAfterInvalidUtf8", tb, "\x80" + repeat("a", 9) + nul, R::contains_nul},
    // Not UTF-8: overlong forms, stray continuation bytes, cut sequences, surrogates, bytes
    // beyond U+10FFFF, other encodings. Reported before length.
    {"OverlongSlash", th, "\xC0\xAF", R::invalid_utf8},
    {"OverlongNul", tb, "a\xC0\x80z", R::invalid_utf8},
    {"OverlongThreeByte", th, "\xE0\x80\xAF", R::invalid_utf8},
    {"OverlongFourByte", tm, "\xF0\x80\x80\xAF", R::invalid_utf8},
    {"LoneContinuation", th, "\x80", R::invalid_utf8},
    {"ContinuationAmidAscii", tb,
     "ab\xBF"
     "cd",
     R::invalid_utf8},
    {"TruncatedTwoByteAtEnd", th, "abc\xC3", R::invalid_utf8},
    {"TruncatedThreeByteBeforeAscii", tb, "\xE2\x82z", R::invalid_utf8},
    {"TruncatedFourByte", tm, "\xF0\x9F\x98", R::invalid_utf8},
    {"SurrogateHigh", th, "\xED\xA0\x80", R::invalid_utf8},
    {"SurrogateLow", tb, "\xED\xBF\xBF", R::invalid_utf8},
    {"SurrogatePairAsCesu8", tb, "\xED\xA0\xBD\xED\xB8\x80", R::invalid_utf8},
    {"AboveU10FFFF", th, "\xF4\x90\x80\x80", R::invalid_utf8},
    {"FiveByteForm", tb, "\xF8\x88\x80\x80\x80", R::invalid_utf8},
    {"Utf16ByteOrderMark", th, "\xFF\xFE", R::invalid_utf8},
    {"Latin1", tb, "caf\xE9", R::invalid_utf8},
    {"InvalidUtf8AndTooLong", th, repeat("a", 20) + "\x80", R::invalid_utf8},
    {"BioInvalidInSecondWord", tb, repeat("a", 11) + "\xC3(" + repeat("b", 3), R::invalid_utf8},
    {"BioTruncatedAfterWords", tb, repeat("a", 16) + "\xE2\x82", R::invalid_utf8},
    // Whole ASCII words and wider code points, counted together.
    {"HandleOneOverWordsThenTwoByte", th, repeat("a", 8) + repeat("\u00e9", 9), R::too_long},
    {"HandleOneOverTwoByteThenWords", th, "\u00e9" + repeat("a", 16), R::too_long},
};

optimist::Result<Profile> create_with(const optimist::Resource<Profile>& profiles, Text t,
                                      const std::string& text) {
  switch (t) {
    case Text::handle:
      return profiles.create(set<&Profile::handle>(text));
    case Text::bio:
      return profiles.create(set<&Profile::handle>("new"), set<&Profile::bio>(text));
    case Text::motto:
      return profiles.create(set<&Profile::handle>("new"), set<&Profile::motto>(text));
  }
  return optimist::make_error(ErrorKind::internal);
}

optimist::Result<Profile> update_with(const optimist::Resource<Profile>& profiles, const Profile& p,
                                      Text t, const std::string& text) {
  switch (t) {
    case Text::handle:
      return profiles.update(p, set<&Profile::handle>(text));
    case Text::bio:
      return profiles.update(p, set<&Profile::bio>(text));
    case Text::motto:
      return profiles.update(p, set<&Profile::motto>(text));
  }
  return optimist::make_error(ErrorKind::internal);
}

class RefusedTextTest : public test_app::WithOneProfile<RefusedText> {};
OPTIMIST_CONTRACT_CASES(RefusedTextTest, refused_texts);

TEST_P(RefusedTextTest, IsInvalidOnCreateAndUpdateAndWritesNothing) {
  const RefusedText& c = test_case();
  const auto created = create_with(*profiles, c.attribute, c.text);
  ASSERT_THAT(created, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(created.error().resource, "Profile");
  EXPECT_EQ(created.error().action, "create");
  EXPECT_THAT(created.error().fields, ElementsAre(c.expected()));

  const auto updated = update_with(*profiles, kept, c.attribute, c.text);
  ASSERT_THAT(updated, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(updated.error().action, "update");
  EXPECT_THAT(updated.error().fields, ElementsAre(c.expected()));

  expect_only(kept);
}

class TextTest : public optimist::testing::BackendTest {};
OPTIMIST_CONTRACT(TextTest);

TEST_P(TextTest, RequiredTextNeverSetIsInvalidAndWritesNothing) {
  const optimist::Resource<Profile> profiles{store};
  const auto r = profiles.create(set<&Profile::bio>("no handle"));
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(r.error().fields, ElementsAre(FieldError{"handle", FieldReason::required}));
  const auto after = test_app::contents(profiles);
  EXPECT_THAT(after.records, ::testing::IsEmpty());
  EXPECT_EQ(after.next_key, 1);
}

TEST_P(TextTest, EveryRefusedFieldOfOneCallIsReportedAndNoneWritten) {
  const optimist::Resource<Profile> profiles{store};
  const Profile kept = profiles.create_or_throw(set<&Profile::handle>("kept"));
  const std::string bad_bio = "\xC0\xAF";
  const std::string long_motto = repeat("\u00df", 9);
  const auto created = profiles.create(set<&Profile::handle>(""), set<&Profile::bio>(bad_bio),
                                       set<&Profile::motto>(long_motto));
  ASSERT_THAT(created, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(created.error().fields,
              UnorderedElementsAre(FieldError{"handle", FieldReason::required},
                                   FieldError{"bio", FieldReason::invalid_utf8},
                                   FieldError{"motto", FieldReason::too_long, 8}));
  // One valid change beside a refused one: neither is written.
  const auto updated =
      profiles.update(kept, set<&Profile::handle>("renamed"), set<&Profile::bio>(bad_bio));
  ASSERT_THAT(updated, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(updated.error().fields, ElementsAre(FieldError{"bio", FieldReason::invalid_utf8}));
  const auto after = test_app::contents(profiles);
  EXPECT_THAT(after.records, ElementsAre(kept));
  EXPECT_EQ(after.next_key, kept.id + 1);
}

}  // namespace
