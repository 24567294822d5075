// SPDX-License-Identifier: MIT
// The differential test's own machinery: the shrinker returns exactly the operations a
// discrepancy needs, through the whole pipeline on real memory stores with a synthetic
// comparison; and the default seeds reach every kind of answer, so agreement means something.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "differential/explore.hpp"
#include "differential/shrink.hpp"

namespace {

using optimist::differential::Backend;
using optimist::differential::Discrepancy;
using optimist::differential::Op;
using optimist::differential::OpKind;
using optimist::differential::Trace;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<int> numbers(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

bool contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(DifferentialShrink, ReturnsExactlyTheTwoItemsThatFailOnlyTogether) {
  int calls = 0;
  const auto shrunk = optimist::differential::shrink(numbers(100), [&](const std::vector<int>& v) {
    ++calls;
    return contains(v, 17) && contains(v, 42);
  });
  EXPECT_THAT(shrunk, ElementsAre(17, 42));
  EXPECT_LT(calls, 100);  // chunks first: far fewer runs than one per item and round
}

TEST(DifferentialShrink, KeepsTheOrderOfTheItems) {
  const auto shrunk = optimist::differential::shrink(numbers(60), [](const std::vector<int>& v) {
    const auto a = std::find(v.begin(), v.end(), 50);
    const auto b = std::find(v.begin(), v.end(), 7);
    const auto c = std::find(v.begin(), v.end(), 33);
    return a != v.end() && b != v.end() && c != v.end();
  });
  EXPECT_THAT(shrunk, ElementsAre(7, 33, 50));
}

TEST(DifferentialShrink, ReturnsNothingWhenTheEmptySequenceFails) {
  const auto shrunk =
      optimist::differential::shrink(numbers(10), [](const std::vector<int>&) { return true; });
  EXPECT_THAT(shrunk, IsEmpty());
}

std::vector<Backend> two_memory_stores() {
  return {Backend{"MemoryA", [] { return optimist::open("memory:"); }},
          Backend{"MemoryB", [] { return optimist::open("memory:"); }}};
}

std::size_t count(const std::vector<Op>& ops, const Op& op) {
  return static_cast<std::size_t>(std::count(ops.begin(), ops.end(), op));
}

/// A comparison that reports a discrepancy exactly when every op of `culprits` is in the
/// sequence, after checking that the stores really ran it.
optimist::differential::Comparison flags_when_present(std::vector<Op> culprits) {
  return [culprits](const std::vector<Op>& ops,
                    const std::vector<Trace>& traces) -> std::optional<Discrepancy> {
    for (const Trace& t : traces) EXPECT_EQ(t.outcomes.size(), ops.size());
    for (const Op& c : culprits) {
      if (count(ops, c) == 0) return std::nullopt;
    }
    return Discrepancy{"synthetic", {"present", "present"}};
  };
}

TEST(DifferentialShrink, ShrinksASeededRunOnRealStoresToTheTwoOperationsTheComparisonFlags) {
  constexpr std::uint64_t seed = 7;
  const std::vector<Op> ops = optimist::differential::generate(seed, 40);
  const Op first = ops[5];
  const Op second = ops[31];
  ASSERT_EQ(count(ops, first), 1u);
  ASSERT_EQ(count(ops, second), 1u);

  const auto stores = two_memory_stores();
  const auto finding =
      optimist::differential::explore(seed, 40, stores, flags_when_present({first, second}));
  ASSERT_TRUE(finding);
  EXPECT_THAT(finding->shrunk, ElementsAre(first, second));
  EXPECT_EQ(finding->discrepancy.where, "synthetic");

  const std::string text = optimist::differential::report(*finding, stores);
  EXPECT_THAT(text, HasSubstr("seed 7 (40 operations)"));
  EXPECT_THAT(text, HasSubstr("  0: " + optimist::differential::describe(first) + "\n"));
  EXPECT_THAT(text, HasSubstr("  1: " + optimist::differential::describe(second) + "\n"));
  EXPECT_THAT(text, HasSubstr("OPTIMIST_DIFF_SEED=7 OPTIMIST_DIFF_OPS=40"));
}

TEST(DifferentialShrink, ShrinksTheStepsOfAUnitToTheOneTheComparisonFlags) {
  const std::vector<Op> ops = optimist::differential::generate(3, 40);
  const auto unit = std::find_if(ops.begin(), ops.end(), [](const Op& op) {
    return op.kind == OpKind::unit && op.steps.size() >= 3;
  });
  ASSERT_NE(unit, ops.end());
  const Op step = unit->steps[1];

  const auto stores = two_memory_stores();
  const auto has_step = [&](const std::vector<Op>& candidate,
                            const std::vector<Trace>&) -> std::optional<Discrepancy> {
    for (const Op& op : candidate) {
      if (op.kind == OpKind::unit && count(op.steps, step) > 0) {
        return Discrepancy{"synthetic", {}};
      }
    }
    return std::nullopt;
  };
  const auto shrunk = optimist::differential::shrink_sequence(ops, [&](const std::vector<Op>& c) {
    return optimist::differential::check(c, stores, has_step).has_value();
  });
  ASSERT_EQ(shrunk.size(), 1u);
  EXPECT_EQ(shrunk[0].kind, OpKind::unit);
  EXPECT_THAT(shrunk[0].steps, ElementsAre(step));
}

TEST(DifferentialShrink, ShrinksTheWritesBetweenPagesToTheOneTheComparisonFlags) {
  const std::vector<Op> ops =
      optimist::differential::generate(5, 40, optimist::differential::Mix::queries);
  const auto walk = std::find_if(ops.begin(), ops.end(), [](const Op& op) {
    return op.kind == OpKind::pages && op.steps.size() >= 3;
  });
  ASSERT_NE(walk, ops.end());
  const Op step = walk->steps[2];

  const auto stores = two_memory_stores();
  const auto has_step = [&](const std::vector<Op>& candidate,
                            const std::vector<Trace>&) -> std::optional<Discrepancy> {
    for (const Op& op : candidate) {
      if (op.kind == OpKind::pages && count(op.steps, step) > 0) {
        return Discrepancy{"synthetic", {}};
      }
    }
    return std::nullopt;
  };
  const auto shrunk = optimist::differential::shrink_sequence(ops, [&](const std::vector<Op>& c) {
    return optimist::differential::check(c, stores, has_step).has_value();
  });
  ASSERT_EQ(shrunk.size(), 1u);
  EXPECT_EQ(shrunk[0].kind, OpKind::pages);
  EXPECT_EQ(shrunk[0].query, walk->query);
  EXPECT_THAT(shrunk[0].steps, ElementsAre(step));
}

TEST(DifferentialGenerate, IsTheSameForTheSameSeedAndDiffersForAnother) {
  EXPECT_EQ(optimist::differential::generate(11, 50), optimist::differential::generate(11, 50));
  EXPECT_NE(optimist::differential::generate(11, 50), optimist::differential::generate(12, 50));
  using optimist::differential::Mix;
  EXPECT_EQ(optimist::differential::generate(11, 50, Mix::queries),
            optimist::differential::generate(11, 50, Mix::queries));
  EXPECT_NE(optimist::differential::generate(11, 50, Mix::queries),
            optimist::differential::generate(12, 50, Mix::queries));
}

// Agreement on sequences that never reach an error path would prove little: over the
// default seeds, the memory store's answers include every kind of outcome compared.
TEST(DifferentialGenerate, DefaultSeedsReachEveryKindOfAnswer) {
  const Backend memory{"Memory", [] { return optimist::open("memory:"); }};
  std::string all;
  for (std::uint64_t seed = 1; seed <= optimist::differential::default_runs; ++seed) {
    const Trace t = optimist::differential::run(
        optimist::differential::generate(seed, optimist::differential::default_length), memory);
    for (const std::string& o : t.outcomes) all += o + '\n';
    all += t.final_state;
  }
  for (const char* expected : {"ok {",
                               "stale_record",
                               "stored_version=",
                               "not_found",
                               "key=never-created",
                               ":too_long:",
                               ":invalid_utf8",
                               ":contains_nul",
                               ":required",
                               "points:out_of_range",
                               "version:out_of_range",
                               "conflict Member.",
                               "constraint=email",
                               "abandoned",
                               "failed at s",
                               "] committed",
                               "] rolled back",
                               "\"東京",
                               "🎉",
                               "reading:out_of_range",
                               "reading=0.30000000000000004",
                               "reading=5e-324",
                               "note=null",
                               "limit=null",
                               "active=true"}) {
    EXPECT_THAT(all, HasSubstr(expected));
  }
}

// The same for the queries mix: results empty and not, walks over several pages with writes
// between them, the refusals of page(), one() and invalid values.
TEST(DifferentialGenerate, DefaultSeedsOfTheQueriesMixReachEveryKindOfAnswer) {
  const Backend memory{"Memory", [] { return optimist::open("memory:"); }};
  std::string all;
  for (std::uint64_t seed = 1; seed <= optimist::differential::default_runs; ++seed) {
    const Trace t = optimist::differential::run(
        optimist::differential::generate(seed, optimist::differential::default_length,
                                         optimist::differential::Mix::queries),
        memory);
    EXPECT_EQ(t.broken, "") << "seed " << seed;
    for (const std::string& o : t.outcomes) all += o + '\n';
  }
  for (const char* expected :
       {"ok []", "ok [{", "page 1: [{", "page 4: [", "] end", "; s0: ok", "count=0 exists=false",
        "exists=true", "not_found Gauge.read", "error invalid Player.read\n",
        "read field=reading:out_of_range", "read field=name:invalid_utf8",
        "field=limit:out_of_range", "field=offset:not_accepted", ":duplicate_name", "[s0: ok [{",
        "[s0: ok count="}) {
    EXPECT_NE(all.find(expected), std::string::npos) << "no answer holds " << expected;
  }
}

TEST(DifferentialGenerate, TheWritesMixIsTheOneThatFoundTheBugsOfTheWritePaths) {
  EXPECT_EQ(optimist::differential::generate(16, 40),
            optimist::differential::generate(16, 40, optimist::differential::Mix::writes));
  EXPECT_NE(optimist::differential::generate(16, 40),
            optimist::differential::generate(16, 40, optimist::differential::Mix::queries));
}

}  // namespace
