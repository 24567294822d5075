// SPDX-License-Identifier: MIT
// optimist-bench's verdicts on a sweep, from made-up numbers: the best variant of each cell,
// ties, and where optimistic locking stops or starts beating pessimistic locking.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "recommend.hpp"

namespace {

using bench::Lead;
using bench::Rate;
using bench::recommend;
using bench::RunResult;
using bench::Strategy;
using bench::SweepParameter;

const std::vector<SweepParameter> by_records{SweepParameter::records};
const std::vector<SweepParameter> by_records_and_think{SweepParameter::records,
                                                       SweepParameter::think_us};

/// A run of `strategy` that committed `commits_per_s` for one second.
RunResult run(Strategy strategy, std::int64_t records, double commits_per_s,
              std::int64_t think_us = 0, bool group_commit = false) {
  RunResult r;
  r.strategy = strategy;
  r.group_commit = group_commit;
  r.records = records;
  r.workers = 4;
  r.think_us = think_us;
  r.commits = static_cast<std::uint64_t>(commits_per_s);
  r.attempts = r.commits;
  r.elapsed_s = 1;
  return r;
}

/// Runs of retry and pessimistic along records=1,10,100,1000 at `think_us`.
std::vector<RunResult> line(const std::vector<double>& retry,
                            const std::vector<double>& pessimistic, std::int64_t think_us = 0) {
  const std::vector<std::int64_t> records{1, 10, 100, 1000};
  std::vector<RunResult> runs;
  for (std::size_t i = 0; i < records.size(); ++i) {
    runs.push_back(run(Strategy::retry, records[i], retry[i], think_us));
    runs.push_back(run(Strategy::pessimistic, records[i], pessimistic[i], think_us));
  }
  return runs;
}

std::string printed(const bench::Recommendation& r) {
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&text, &size);
  bench::print_recommendation(out, r);
  std::fclose(out);
  std::string s(text, size);
  std::free(text);
  return s;
}

TEST(Best, IsTheFastestVariantOfTheCellWithRawLeftOut) {
  const auto r =
      recommend(by_records, {run(Strategy::retry, 10, 900), run(Strategy::raw, 10, 2000),
                             run(Strategy::pessimistic, 10, 600), run(Strategy::atomic, 10, 1200)});
  ASSERT_EQ(r.cells.size(), 1U);
  const auto& c = r.cells[0];
  EXPECT_EQ(c.where, "records=10");
  EXPECT_EQ(c.best, (std::vector<Rate>{{"atomic", 1200}}));
  EXPECT_EQ(c.next, (Rate{"retry", 900}));
}

TEST(Best, TiesTakeInEveryVariantWithinTheMargin) {
  // 95 is 5 % below 100: a tie; 94 is not.
  const auto r =
      recommend(by_records, {run(Strategy::retry, 1, 100), run(Strategy::retry, 1, 95, 0, true),
                             run(Strategy::pessimistic, 1, 94)});
  const auto& c = r.cells.at(0);
  EXPECT_EQ(c.best, (std::vector<Rate>{{"retry", 100}, {"retry+group", 95}}));
  EXPECT_EQ(c.next, (Rate{"pessimistic", 94}));
  EXPECT_EQ(c.lead, Lead::optimistic);
  EXPECT_EQ(printed(r),
            "\nmost commits/s per cell (raw, the baseline, left out; rates less than 5% apart "
            "tie):\n"
            "  records=1: tie: retry 100, retry+group 95 commits/s\n"
            "retry against pessimistic, commits/s by records (less than 5% apart: a tie):\n"
            "  retry wins at records=1: no crossover\n");
}

TEST(Best, SkippedAndFailedRunsDoNotCount) {
  auto skipped = run(Strategy::atomic, 1, 0);
  skipped.skipped = true;
  auto failed = run(Strategy::pessimistic, 1, 5000);
  failed.errors = 1;
  const auto r = recommend(by_records, {skipped, failed, run(Strategy::retry, 1, 300)});
  const auto& c = r.cells.at(0);
  EXPECT_EQ(c.best, (std::vector<Rate>{{"retry", 300}}));
  EXPECT_FALSE(c.next);
  EXPECT_FALSE(c.pessimistic);
  EXPECT_EQ(c.lead, Lead::unmeasured);
  EXPECT_FALSE(r.compared);
  EXPECT_TRUE(r.crossovers.empty());
}

TEST(Crossover, OneChangeNamesTheNeighboursItLiesBetween) {
  auto runs = line({100, 200, 300, 400}, {50, 60, 70, 80}, 0);
  const auto slow = line({100, 120, 300, 400}, {150, 160, 120, 100}, 1000);
  runs.insert(runs.end(), slow.begin(), slow.end());
  const auto r = recommend(by_records_and_think, runs);
  ASSERT_TRUE(r.compared);
  EXPECT_EQ(r.optimistic_side, Strategy::retry);
  EXPECT_EQ(r.crossovers,
            (std::vector<std::string>{
                "think_us=0: retry wins at records=1 to 1000: no crossover",
                "think_us=1000: pessimistic wins at records=1 to 10; retry wins at records=100 "
                "to 1000: crossover between records=10 and records=100"}));
  EXPECT_EQ(r.cells.at(4).where, "records=1 think_us=1000");
  EXPECT_EQ(r.cells.at(4).lead, Lead::pessimistic);
}

TEST(Crossover, TiesBetweenTheSidesWidenTheInterval) {
  const auto r = recommend(by_records, line({200, 100, 100, 100}, {100, 98, 150, 200}));
  EXPECT_EQ(r.crossovers, (std::vector<std::string>{
                              "retry wins at records=1; tie at records=10; pessimistic wins at "
                              "records=100 to 1000: crossover between records=1 and records=100"}));
}

TEST(Crossover, ASweepWhereEverythingTiesHasNoCrossover) {
  const auto r = recommend(by_records, line({100, 100, 100, 100}, {100, 99, 97, 100}));
  EXPECT_EQ(r.crossovers, (std::vector<std::string>{"tie at records=1 to 1000: no crossover"}));
}

TEST(Crossover, ALeadThatChangesTwiceHasNoSingleCrossover) {
  const auto r = recommend(by_records, line({200, 100, 300, 400}, {100, 200, 100, 100}));
  EXPECT_EQ(r.crossovers,
            (std::vector<std::string>{
                "retry wins at records=1; pessimistic wins at records=10; retry wins at "
                "records=100 to 1000: no single crossover, the lead changes 2 times"}));
}

TEST(Crossover, FollowsTheSweptValuesInOrderWhateverTheRunOrder) {
  // The second round of --repeat runs backwards; the median rounds keep the plan's order,
  // but a line must not depend on it.
  const auto r =
      recommend(by_records, {run(Strategy::retry, 100, 50), run(Strategy::pessimistic, 100, 100),
                             run(Strategy::retry, 1, 100), run(Strategy::pessimistic, 1, 50)});
  EXPECT_EQ(r.crossovers,
            (std::vector<std::string>{"retry wins at records=1; pessimistic wins at records=100: "
                                      "crossover between records=1 and records=100"}));
}

TEST(Crossover, EachSideIsItsFastestVariant) {
  const auto r =
      recommend(by_records,
                {run(Strategy::retry, 1, 100), run(Strategy::retry, 1, 300, 0, true),
                 run(Strategy::pessimistic, 1, 200), run(Strategy::pessimistic, 1, 150, 0, true)});
  const auto& c = r.cells.at(0);
  EXPECT_EQ(c.optimistic, (Rate{"retry+group", 300}));
  EXPECT_EQ(c.pessimistic, (Rate{"pessimistic", 200}));
  EXPECT_EQ(c.lead, Lead::optimistic);
}

TEST(Crossover, OptimisticStandsInWhenRetryDidNotRun) {
  const auto r = recommend(
      by_records, {run(Strategy::optimistic, 1, 100), run(Strategy::pessimistic, 1, 300),
                   run(Strategy::optimistic, 10, 400), run(Strategy::pessimistic, 10, 300)});
  EXPECT_EQ(r.optimistic_side, Strategy::optimistic);
  EXPECT_EQ(r.crossovers, (std::vector<std::string>{
                              "pessimistic wins at records=1; optimistic wins at records=10: "
                              "crossover between records=1 and records=10"}));
}

TEST(Crossover, ACellWithoutOneSideIsNotMeasuredAndDoesNotBreakTheLine) {
  auto runs = line({100, 200, 300, 400}, {300, 100, 100, 100});
  runs[3].skipped = true;  // pessimistic at records=10
  const auto r = recommend(by_records, runs);
  EXPECT_EQ(r.crossovers,
            (std::vector<std::string>{
                "pessimistic wins at records=1; not measured at records=10; retry wins at "
                "records=100 to 1000: crossover between records=1 and records=100"}));
}

TEST(Crossover, WithoutPessimisticNothingIsComparedAndThePrintoutSaysWhy) {
  const auto r = recommend(by_records, {run(Strategy::retry, 1, 100), run(Strategy::raw, 1, 90)});
  EXPECT_FALSE(r.compared);
  EXPECT_EQ(printed(r),
            "\nmost commits/s per cell (raw, the baseline, left out; rates less than 5% apart "
            "tie):\n"
            "  records=1: retry 100 commits/s, nothing else ran\n"
            "retry against pessimistic: not compared (needs pessimistic and retry or "
            "optimistic in --strategy)\n");
}

TEST(Print, NamesTheMarginOverTheNext) {
  const auto r =
      recommend(by_records, {run(Strategy::retry, 1, 300), run(Strategy::pessimistic, 1, 200)});
  EXPECT_EQ(printed(r),
            "\nmost commits/s per cell (raw, the baseline, left out; rates less than 5% apart "
            "tie):\n"
            "  records=1: retry 300 commits/s, 1.50x the next (pessimistic 200)\n"
            "retry against pessimistic, commits/s by records (less than 5% apart: a tie):\n"
            "  retry wins at records=1: no crossover\n");
}

}  // namespace
