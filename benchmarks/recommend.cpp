// SPDX-License-Identifier: MIT
#include "recommend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace bench {

namespace {

bool usable(const RunResult& r) {
  return !r.skipped && r.errors == 0;
}

bool tie(double a, double b, double margin) {
  const double high = std::max(a, b);
  return high - std::min(a, b) <= margin * high;
}

/// The faster of `a` and a run `r`'s rate.
void keep_fastest(std::optional<Rate>& a, const RunResult& r) {
  if (!a || r.commits_per_s() > a->commits_per_s) a = Rate{r.label(), r.commits_per_s()};
}

std::string range(SweepParameter p, std::int64_t from, std::int64_t to) {
  return from == to ? fmt::format("{}={}", to_string(p), from)
                    : fmt::format("{}={} to {}", to_string(p), from, to);
}

/// A stretch of neighbouring cells along the first dimension with the same lead.
struct Segment {
  Lead lead;
  std::int64_t from, to;
};

/// The crossover line of `cells`, sorted along the first dimension.
std::string crossover_line(const Recommendation& r, const std::vector<const CellVerdict*>& cells) {
  const SweepParameter x = r.dimensions.front();
  std::vector<Segment> segments;
  for (const CellVerdict* c : cells) {
    const std::int64_t at = c->at.front();
    if (!segments.empty() && segments.back().lead == c->lead) {
      segments.back().to = at;
    } else {
      segments.push_back({c->lead, at, at});
    }
  }
  const std::string optimistic(to_string(r.optimistic_side));
  std::string line;
  for (const Segment& s : segments) {
    if (!line.empty()) line += "; ";
    switch (s.lead) {
      case Lead::optimistic:
        line += optimistic + " wins at ";
        break;
      case Lead::pessimistic:
        line += "pessimistic wins at ";
        break;
      case Lead::tie:
        line += "tie at ";
        break;
      case Lead::unmeasured:
        line += "not measured at ";
        break;
    }
    line += range(x, s.from, s.to);
  }
  // The lead changes where one side's winning stretch follows the other's, ties and
  // unmeasured cells between them or not.
  const Segment* last_win = nullptr;
  const Segment* before_change = nullptr;
  const Segment* after_change = nullptr;
  int changes = 0;
  for (const Segment& s : segments) {
    if (s.lead != Lead::optimistic && s.lead != Lead::pessimistic) continue;
    if (last_win != nullptr && last_win->lead != s.lead) {
      ++changes;
      before_change = last_win;
      after_change = &s;
    }
    last_win = &s;
  }
  if (changes == 0) return line + ": no crossover";
  if (changes == 1) {
    return line + fmt::format(": crossover between {}={} and {}={}", to_string(x),
                              before_change->to, to_string(x), after_change->from);
  }
  return line + fmt::format(": no single crossover, the lead changes {} times", changes);
}

}  // namespace

Recommendation recommend(const std::vector<SweepParameter>& dimensions,
                         const std::vector<RunResult>& runs, double tie_margin) {
  Recommendation out;
  out.dimensions = dimensions.empty() ? std::vector{SweepParameter::records} : dimensions;
  out.tie_margin = tie_margin;
  const bool retry_ran = std::any_of(runs.begin(), runs.end(), [](const RunResult& r) {
    return usable(r) && r.strategy == Strategy::retry;
  });
  out.optimistic_side = retry_ran ? Strategy::retry : Strategy::optimistic;

  // The cells, in the order of their first run, and their usable runs.
  std::vector<std::vector<const RunResult*>> members;
  for (const RunResult& r : runs) {
    std::vector<std::int64_t> at;
    for (const SweepParameter p : out.dimensions) at.push_back(r.setting(p));
    auto cell = std::find_if(out.cells.begin(), out.cells.end(),
                             [&](const CellVerdict& c) { return c.at == at; });
    if (cell == out.cells.end()) {
      CellVerdict c;
      c.at = at;
      for (std::size_t i = 0; i < at.size(); ++i) {
        c.where += fmt::format("{}{}={}", i ? " " : "", to_string(out.dimensions[i]), at[i]);
      }
      out.cells.push_back(std::move(c));
      members.emplace_back();
      cell = out.cells.end() - 1;
    }
    if (usable(r)) members[static_cast<std::size_t>(cell - out.cells.begin())].push_back(&r);
  }

  for (std::size_t i = 0; i < out.cells.size(); ++i) {
    CellVerdict& c = out.cells[i];
    std::vector<Rate> rates;
    for (const RunResult* r : members[i]) {
      if (r->strategy == out.optimistic_side) keep_fastest(c.optimistic, *r);
      if (r->strategy == Strategy::pessimistic) keep_fastest(c.pessimistic, *r);
      if (r->strategy != Strategy::raw) rates.push_back({r->label(), r->commits_per_s()});
    }
    std::stable_sort(rates.begin(), rates.end(), [](const Rate& a, const Rate& b) {
      return a.commits_per_s > b.commits_per_s;
    });
    for (const Rate& rate : rates) {
      if (c.best.empty() || tie(c.best.front().commits_per_s, rate.commits_per_s, tie_margin)) {
        c.best.push_back(rate);
      } else {
        c.next = rate;
        break;
      }
    }
    if (c.optimistic && c.pessimistic) {
      out.compared = true;
      const double o = c.optimistic->commits_per_s;
      const double p = c.pessimistic->commits_per_s;
      c.lead = tie(o, p, tie_margin) ? Lead::tie : o > p ? Lead::optimistic : Lead::pessimistic;
    }
  }
  if (!out.compared) return out;

  // One line per value of the second dimension, each sorted along the first.
  std::vector<std::int64_t> line_keys;
  std::map<std::int64_t, std::vector<const CellVerdict*>> lines;
  for (const CellVerdict& c : out.cells) {
    const std::int64_t key = c.at.size() > 1 ? c.at[1] : 0;
    if (!lines.contains(key)) line_keys.push_back(key);
    lines[key].push_back(&c);
  }
  for (const std::int64_t key : line_keys) {
    auto& cells = lines[key];
    std::stable_sort(cells.begin(), cells.end(), [](const CellVerdict* a, const CellVerdict* b) {
      return a->at.front() < b->at.front();
    });
    const std::string prefix =
        out.dimensions.size() > 1 ? fmt::format("{}={}: ", to_string(out.dimensions[1]), key) : "";
    out.crossovers.push_back(prefix + crossover_line(out, cells));
  }
  return out;
}

void print_recommendation(std::FILE* out, const Recommendation& r) {
  if (r.cells.empty()) return;
  const auto percent = static_cast<int>(std::lround(r.tie_margin * 100));
  fmt::print(out,
             "\nmost commits/s per cell (raw, the baseline, left out; rates less than {}% apart "
             "tie):\n",
             percent);
  for (const CellVerdict& c : r.cells) {
    if (c.best.empty()) {
      fmt::print(out, "  {}: nothing measured\n", c.where);
    } else if (c.best.size() == 1) {
      const Rate& b = c.best.front();
      std::string next = ", nothing else ran";
      if (c.next && c.next->commits_per_s > 0) {
        next =
            fmt::format(", {:.2f}x the next ({} {:.0f})", b.commits_per_s / c.next->commits_per_s,
                        c.next->variant, c.next->commits_per_s);
      } else if (c.next) {
        next = fmt::format(", the next {} 0", c.next->variant);
      }
      fmt::print(out, "  {}: {} {:.0f} commits/s{}\n", c.where, b.variant, b.commits_per_s, next);
    } else {
      std::string tied;
      for (const Rate& b : c.best) {
        tied += fmt::format("{}{} {:.0f}", tied.empty() ? "" : ", ", b.variant, b.commits_per_s);
      }
      fmt::print(out, "  {}: tie: {} commits/s\n", c.where, tied);
    }
  }
  const std::string optimistic(to_string(r.optimistic_side));
  if (!r.compared) {
    fmt::print(out,
               "{} against pessimistic: not compared (needs pessimistic and retry or "
               "optimistic in --strategy)\n",
               optimistic);
    return;
  }
  fmt::print(out, "{} against pessimistic, commits/s by {} (less than {}% apart: a tie):\n",
             optimistic, to_string(r.dimensions.front()), percent);
  for (const std::string& line : r.crossovers) fmt::print(out, "  {}\n", line);
}

}  // namespace bench
