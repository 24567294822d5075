// SPDX-License-Identifier: MIT
#include "differential/explore.hpp"

#include <fmt/format.h>

#include "differential/shrink.hpp"

namespace optimist::differential {

std::optional<Discrepancy> first_difference(const std::vector<Op>& ops,
                                            const std::vector<Trace>& traces) {
  auto answers = [&](auto field) {
    std::vector<std::string> out;
    for (const Trace& t : traces) out.push_back(field(t));
    return out;
  };
  for (const Trace& t : traces) {
    if (!t.broken.empty()) {
      return Discrepancy{"a broken promise", answers([](const Trace& x) { return x.broken; })};
    }
  }
  if (traces.size() < 2) return std::nullopt;
  const Trace& reference = traces.front();
  for (std::size_t i = 0; i < ops.size(); ++i) {
    auto at = [i](const Trace& t) { return i < t.outcomes.size() ? t.outcomes[i] : "(not run)"; };
    for (const Trace& t : traces) {
      if (at(t) != at(reference)) return Discrepancy{fmt::format("operation {}", i), answers(at)};
    }
  }
  auto state = [](const Trace& t) { return t.final_state; };
  for (const Trace& t : traces) {
    if (state(t) != state(reference)) return Discrepancy{"final state", answers(state)};
  }
  return std::nullopt;
}

namespace {

std::size_t size_of(const std::vector<Op>& ops) {
  std::size_t n = ops.size();
  for (const Op& op : ops) n += op.steps.size();
  return n;
}

std::vector<Trace> run_all(const std::vector<Op>& ops, const std::vector<Backend>& backends) {
  std::vector<Trace> traces;
  for (const Backend& b : backends) traces.push_back(run(ops, b));
  return traces;
}

}  // namespace

std::optional<Discrepancy> check(const std::vector<Op>& ops, const std::vector<Backend>& backends,
                                 const Comparison& compare) {
  return compare(ops, run_all(ops, backends));
}

std::vector<Op> shrink_sequence(std::vector<Op> ops,
                                const std::function<bool(const std::vector<Op>&)>& fails) {
  // Fewer steps can free operations that were needed before (a step that failed early
  // needed a record), so repeat while either pass removes something. (Sizes, not ==:
  // a NaN in an operation makes it unequal to itself.)
  for (std::size_t before = 0; size_of(ops) != before;) {
    before = size_of(ops);
    ops = shrink(std::move(ops), fails);
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].steps.size() < 2) continue;
      ops[i].steps = shrink(ops[i].steps, [&](const std::vector<Op>& steps) {
        std::vector<Op> candidate = ops;
        candidate[i].steps = steps;
        return fails(candidate);
      });
    }
  }
  return ops;
}

std::optional<Finding> explore(std::uint64_t seed, std::size_t length,
                               const std::vector<Backend>& backends, const Comparison& compare,
                               Mix mix) {
  const std::vector<Op> ops = generate(seed, length, mix);
  if (!check(ops, backends, compare)) return std::nullopt;
  Finding f;
  f.seed = seed;
  f.length = length;
  f.mix = mix;
  f.shrunk = shrink_sequence(ops, [&](const std::vector<Op>& candidate) {
    return check(candidate, backends, compare).has_value();
  });
  f.traces = run_all(f.shrunk, backends);
  // Shrinking keeps a disagreement, not necessarily the first one found: report this one.
  f.discrepancy = compare(f.shrunk, f.traces).value_or(Discrepancy{"(not reproduced)", {}});
  return f;
}

std::string report(const Finding& finding, const std::vector<Backend>& backends) {
  std::size_t width = 0;
  for (const Backend& b : backends) width = std::max(width, b.name.size());
  const bool queries = finding.mix == Mix::queries;
  std::string out = fmt::format(
      "The backends disagree on seed {} ({} operations{}); the shortest sequence that still "
      "shows it has {}:\n",
      finding.seed, finding.length, queries ? " of the queries mix" : "", finding.shrunk.size());
  for (std::size_t i = 0; i < finding.shrunk.size(); ++i) {
    out += fmt::format("  {}: {}\n", i, describe(finding.shrunk[i]));
    for (std::size_t b = 0; b < backends.size() && b < finding.traces.size(); ++b) {
      const Trace& t = finding.traces[b];
      if (b == 0 && i < t.targets.size() && !t.targets[i].empty()) {
        out += fmt::format("       {:{}}  targets {}\n", "", width, t.targets[i]);
      }
      const bool differs =
          b != 0 && i < t.outcomes.size() && t.outcomes[i] != finding.traces[0].outcomes[i];
      if ((b == 0 || differs) && i < t.outcomes.size()) {
        out += fmt::format("       {:{}}: {}\n", backends[b].name, width, t.outcomes[i]);
      }
    }
  }
  out += fmt::format("First difference: {}\n", finding.discrepancy.where);
  for (std::size_t b = 0; b < backends.size() && b < finding.discrepancy.answers.size(); ++b) {
    const std::string& answer = finding.discrepancy.answers[b];
    if (answer.find('\n') == std::string::npos) {
      out += fmt::format("  {}: {}\n", backends[b].name, answer);
      continue;
    }
    out += fmt::format("  {}:\n", backends[b].name);
    for (std::size_t at = 0; at < answer.size();) {
      const std::size_t end = std::min(answer.find('\n', at), answer.size());
      out += fmt::format("    {}\n", answer.substr(at, end - at));
      at = end + 1;
    }
  }
  out += fmt::format(
      "Replay: OPTIMIST_DIFF_SEED={} OPTIMIST_DIFF_OPS={} build/tests/differential_test "
      "--gtest_filter='*Differential.{}*' (this seed only); more seeds: OPTIMIST_DIFF_RUNS=N, "
      "from OPTIMIST_DIFF_SEED on.\n",
      finding.seed, finding.length, queries ? "SeededQueries" : "SeededSequences");
  return out;
}

}  // namespace optimist::differential
