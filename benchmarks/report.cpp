// SPDX-License-Identifier: MIT
#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "gnuplot.hpp"
#include "stats.hpp"

namespace bench {

namespace {

std::string csv_field(const nlohmann::ordered_json& v) {
  if (v.is_null()) return {};
  if (!v.is_string()) return v.dump();
  const auto s = v.get<std::string>();
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

const std::vector<std::string>& record_keys() {
  static const std::vector<std::string> keys{
      "backend",       "synchronous", "strategy",  "group_commit", "variant",
      "records",       "workers",     "processes", "skew",         "think_us",
      "attempts",      "commits",     "conflicts", "gave_up",      "conflict_rate",
      "commits_per_s", "p50_us",      "p99_us",    "lost_updates", "predicted_conflict_rate"};
  return keys;
}

nlohmann::ordered_json to_json(const RunResult& r) {
  nlohmann::ordered_json j;
  j["backend"] = r.backend;
  j["synchronous"] =
      r.synchronous.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(r.synchronous);
  j["strategy"] = std::string(to_string(r.strategy));
  j["group_commit"] = r.group_commit;
  j["variant"] = r.label();
  j["records"] = r.records;
  j["workers"] = r.workers;
  j["processes"] = r.processes;
  j["skew"] = r.skew;
  j["think_us"] = r.think_us;
  j["attempts"] = r.attempts;
  j["commits"] = r.commits;
  j["conflicts"] = r.conflicts;
  j["gave_up"] = r.gave_up;
  j["conflict_rate"] = r.conflict_rate();
  j["commits_per_s"] = r.commits_per_s();
  j["p50_us"] = r.latency.percentile(0.50) / 1000;
  j["p99_us"] = r.latency.percentile(0.99) / 1000;
  j["lost_updates"] = r.lost_updates;
  j["predicted_conflict_rate"] = r.predicted_conflict_rate;
  return j;
}

std::vector<RunResult> median_rounds(const Rounds& rounds) {
  std::vector<RunResult> medians;
  if (rounds.empty()) return medians;
  for (std::size_t i = 0; i < rounds.front().size(); ++i) {
    std::vector<const RunResult*> runs;
    for (const auto& round : rounds) runs.push_back(&round[i]);
    std::sort(runs.begin(), runs.end(), [](const RunResult* a, const RunResult* b) {
      return a->commits_per_s() < b->commits_per_s();
    });
    medians.push_back(*runs[(runs.size() - 1) / 2]);
  }
  return medians;
}

void print_ratios(std::FILE* out, const Rounds& rounds) {
  if (rounds.empty()) return;
  const auto& plan = rounds.front();
  auto same_settings = [](const RunResult& a, const RunResult& b) {
    return a.records == b.records && a.workers == b.workers && a.processes == b.processes &&
           a.think_us == b.think_us;
  };
  bool header = false;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].strategy == Strategy::raw || plan[i].skipped) continue;
    const auto raw = std::find_if(plan.begin(), plan.end(), [&](const RunResult& r) {
      return r.strategy == Strategy::raw && !r.skipped && same_settings(r, plan[i]);
    });
    if (raw == plan.end()) continue;
    const auto j = static_cast<std::size_t>(raw - plan.begin());
    // Interleaved runs are compared turn by turn (turn k of each in each round), others
    // round by round.
    const bool by_turn = !plan[i].turn_rates.empty();
    std::vector<double> ratios;
    for (const auto& round : rounds) {
      if (by_turn) {
        const auto& mine = round[i].turn_rates;
        const auto& base = round[j].turn_rates;
        for (std::size_t t = 0; t < mine.size() && t < base.size(); ++t) {
          if (base[t] > 0) ratios.push_back(mine[t] / base[t]);
        }
      } else if (const double base = round[j].commits_per_s(); base > 0) {
        ratios.push_back(round[i].commits_per_s() / base);
      }
    }
    if (ratios.empty()) continue;
    const std::size_t count = ratios.size();
    const MedianSummary m = summarize(std::move(ratios));
    const char* unit = by_turn ? "turn" : "round";
    if (!header) {
      fmt::print(out,
                 "\ncommits/s relative to raw, per {0}, over {1} {0}s: median [95% confidence "
                 "interval of the median] (lowest-highest)\n",
                 unit, count);
      header = true;
    }
    const std::string interval =
        m.interval ? fmt::format("[{:.3f}-{:.3f}]", m.interval->first, m.interval->second)
                   : fmt::format("[needs 6 {}s]", unit);
    fmt::print(out,
               "{:<18} records={} workers={} procs={} think_us={}: {:.3f}x {} ({:.3f}-{:.3f})\n",
               plan[i].label(), plan[i].records, plan[i].workers, plan[i].processes,
               plan[i].think_us, m.median, interval, m.lowest, m.highest);
  }
}

void print_table(std::FILE* out, const std::vector<RunResult>& runs) {
  if (runs.empty()) return;
  const RunResult& first = runs.front();
  const std::string synchronous =
      first.synchronous.empty() ? "" : fmt::format("   synchronous: {}", first.synchronous);
  fmt::print(out, "backend: {}{}   skew: {}\n", first.backend, synchronous, first.skew);
  fmt::print(out,
             "{:<18} {:>8} {:>7} {:>5} {:>8} {:>10} {:>10} {:>10} {:>9} {:>9} {:>9} {:>12} {:>9} "
             "{:>9} {:>5}\n",
             "strategy", "records", "workers", "procs", "think_us", "attempts", "commits",
             "conflicts", "gave_up", "conflict%", "predict%", "commits/s", "p50_us", "p99_us",
             "lost");
  for (const RunResult& r : runs) {
    if (r.skipped) {
      fmt::print(out, "{:<18} {:>8} {:>7} {:>5} {:>8}  skipped: {}\n", r.label(), r.records,
                 r.workers, r.processes, r.think_us, r.note);
      continue;
    }
    fmt::print(
        out,
        "{:<18} {:>8} {:>7} {:>5} {:>8} {:>10} {:>10} {:>10} {:>9} {:>9.2f} {:>9.2f} {:>12.0f} "
        "{:>9.1f} {:>9.1f} {:>5}\n",
        r.label(), r.records, r.workers, r.processes, r.think_us, r.attempts, r.commits,
        r.conflicts, r.gave_up, 100 * r.conflict_rate(), 100 * r.predicted_conflict_rate,
        r.commits_per_s(), r.latency.percentile(0.5) / 1000, r.latency.percentile(0.99) / 1000,
        r.lost_updates);
  }
}

std::string write_json(const std::string& file, const std::vector<RunResult>& runs) {
  auto array = nlohmann::ordered_json::array();
  for (const auto& r : runs) {
    if (!r.skipped) array.push_back(to_json(r));
  }
  std::ofstream out(file);
  out << array.dump(2) << '\n';
  return out ? std::string() : "cannot write " + file;
}

std::string write_csv(const std::string& file, const std::vector<RunResult>& runs) {
  std::ofstream out(file);
  const auto& keys = record_keys();
  for (std::size_t i = 0; i < keys.size(); ++i) out << (i ? "," : "") << keys[i];
  out << '\n';
  for (const auto& r : runs) {
    if (r.skipped) continue;
    const auto j = to_json(r);
    for (std::size_t i = 0; i < keys.size(); ++i) out << (i ? "," : "") << csv_field(j[keys[i]]);
    out << '\n';
  }
  return out ? std::string() : "cannot write " + file;
}

std::string write_plot(const std::string& file, const std::vector<SweepParameter>& dimensions,
                       const std::vector<RunResult>& runs) {
  const SweepParameter x_param = dimensions.empty() ? SweepParameter::records : dimensions[0];
  const bool panelled = dimensions.size() > 1;
  // Panels in the order of their first run, lines (variants) likewise, so that a variant
  // keeps its colour in every panel. Points: (x, conflict %, commits/s).
  using Points = std::vector<std::tuple<std::int64_t, double, double>>;
  std::vector<std::int64_t> panels;
  std::vector<std::string> lines;
  std::map<std::pair<std::size_t, std::size_t>, Points> data;  // (panel, line) -> points
  std::int64_t min_x = INT64_MAX, max_x = INT64_MIN;
  for (const auto& r : runs) {
    if (r.skipped) continue;
    const std::int64_t panel_value = panelled ? r.setting(dimensions[1]) : 0;
    const auto panel = static_cast<std::size_t>(
        std::find(panels.begin(), panels.end(), panel_value) - panels.begin());
    if (panel == panels.size()) panels.push_back(panel_value);
    const auto line =
        static_cast<std::size_t>(std::find(lines.begin(), lines.end(), r.label()) - lines.begin());
    if (line == lines.size()) lines.push_back(r.label());
    const auto x = r.setting(x_param);
    data[{panel, line}].emplace_back(x, 100 * r.conflict_rate(), r.commits_per_s());
    min_x = std::min(min_x, x);
    max_x = std::max(max_x, x);
  }
  if (data.empty()) return "nothing to plot: every run was skipped";
  const bool png = file.ends_with(".png");
  const std::size_t columns = panels.size();

  std::string script;
  const std::size_t width = std::max<std::size_t>(700, 550 * columns);
  script += png ? fmt::format("set terminal pngcairo size {},800 noenhanced\n", width)
                : fmt::format("set terminal svg size {},800 dynamic noenhanced\n", width);
  script += fmt::format("set output '{}'\n", file);
  for (auto& [at, points] : data) {
    std::sort(points.begin(), points.end());
    script += fmt::format("$d_{}_{} << EOD\n", at.first, at.second);
    // A log scale cannot show 0 commits/s: NaN leaves the point out.
    for (const auto& [x, rate, cps] : points) {
      script +=
          cps > 0 ? fmt::format("{} {} {}\n", x, rate, cps) : fmt::format("{} {} NaN\n", x, rate);
    }
    script += "EOD\n";
  }
  script += fmt::format("set multiplot layout 2,{}\nset grid\nset key top right\n", columns);
  if (min_x > 0 && max_x >= 100 * min_x) script += "set logscale x\n";
  script += fmt::format("set xlabel '{}'\n", to_string(x_param));
  auto plot_column = [&](std::size_t panel, int column) {
    std::string cmd = "plot ";
    bool first = true;
    for (std::size_t line = 0; line < lines.size(); ++line) {
      if (!data.contains({panel, line})) continue;
      cmd += fmt::format("{}$d_{}_{} using 1:{} with linespoints lw 2 lc {} title '{}'",
                         first ? "" : ", ", panel, line, column, line + 1, lines[line]);
      first = false;
    }
    return cmd + "\n";
  };
  auto title = [&](std::string_view what, std::size_t panel) {
    return panelled ? fmt::format("{}, {}={}", what, to_string(dimensions[1]), panels[panel])
                    : std::string(what);
  };
  // Throughput in the top row, one panel per value of the second sweep; conflict rates
  // below it.
  script += "set logscale y\nset ylabel 'commits/s (log scale)'\nset yrange [*:*]\n";
  for (std::size_t p = 0; p < columns; ++p) {
    script += fmt::format("set title '{}'\n", title("throughput", p));
    script += plot_column(p, 3);
  }
  script += "unset logscale y\nset ylabel 'conflicts per attempt (%)'\nset yrange [0:*]\n";
  for (std::size_t p = 0; p < columns; ++p) {
    script += fmt::format("set title '{}'\n", title("conflict rate", p));
    script += plot_column(p, 2);
  }
  script += "unset multiplot\n";

  return run_gnuplot(script, file);
}

}  // namespace bench
