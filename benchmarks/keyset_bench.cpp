// SPDX-License-Identifier: MIT
// keyset_bench: how the time of one page grows with its depth, a keyset page
// (Resource<Tag>::page after a cursor) against the same page by offset
// (Resource<Tag>::all with Query::offset), on a table of 200k tags by default.
//
//     keyset_bench [--backend URL]... [--records N] [--depths 0,10000,100000] [--page 50]
//                  [--calls 21] [--plot FILE.svg|FILE.png]
//
// Each --backend gets an empty tags table filled with N tags (benchmarks/tag_rows.hpp), in
// one transaction; the default is a SQLite file in a fresh temporary directory (also
// `--backend sqlite`), removed at the end. A table that already holds records is refused:
// nothing is deleted. At each depth D the two ways read the same 50 records, those after the
// first D by id (checked), each way in a block of calls after three unmeasured ones. Prints the
// median and the fastest call of each, and their ratio; --plot draws the medians against the depth
// with gnuplot.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "gnuplot.hpp"
#include "tag_rows.hpp"

namespace {

using app::Tag;
using Clock = std::chrono::steady_clock;

struct Point {
  std::string backend;  // a label: "SQLite file", "PostgreSQL", ...
  std::int64_t depth = 0;
  double keyset_median_us = 0, keyset_min_us = 0;
  double offset_median_us = 0, offset_min_us = 0;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string label(std::string_view backend, bool temporary_file) {
  if (backend == "sqlite") return temporary_file ? "SQLite file" : "SQLite";
  if (backend == "postgresql") return "PostgreSQL";
  return std::string(backend);
}

// Measures one backend; throws optimist::Exception or std::runtime_error.
std::vector<Point> measure(const std::shared_ptr<optimist::Store>& store, const std::string& name,
                           std::int64_t records, const std::vector<std::int64_t>& depths,
                           std::size_t page, int calls) {
  const optimist::Resource<Tag> tags(store);
  if (tags.exists().value()) {
    throw std::runtime_error(
        fmt::format("{}: the tags table already holds records; use an empty database", name));
  }
  fmt::print(stderr, "{}: creating {} tags\n", name, records);
  bench::create_tags(*store, tags, records, std::max<std::int64_t>(records / 50, 1));

  std::vector<Point> out;
  const auto by_id = optimist::Query<Tag>().limit(page);
  // The cursor after the first D records, for each depth D: a page of D records ends there.
  // All of them before any measurement, so that every depth is measured after the same
  // large reads and frees.
  std::vector<std::string> cursors;
  for (const std::int64_t depth : depths) {
    std::string& cursor = cursors.emplace_back();
    if (depth == 0) continue;
    auto first = tags.page(optimist::Query<Tag>().limit(static_cast<std::size_t>(depth)));
    if (!first.value().next) {
      throw std::runtime_error(fmt::format("depth {} is not below --records", depth));
    }
    cursor = *first.value().next;
  }
  for (std::size_t d = 0; d < depths.size(); ++d) {
    const std::int64_t depth = depths[d];
    const std::string& cursor = cursors[d];
    const auto by_offset =
        optimist::Query<Tag>().limit(page).offset(static_cast<std::size_t>(depth));
    std::vector<double> keyset_us, offset_us;
    auto keyset = [&](bool timed) {
      const auto start = Clock::now();
      auto r = tags.page(by_id, cursor).value();
      const auto stop = Clock::now();
      if (timed)
        keyset_us.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
      return r.records;
    };
    auto offset = [&](bool timed) {
      const auto start = Clock::now();
      auto r = tags.all(by_offset).value();
      const auto stop = Clock::now();
      if (timed)
        offset_us.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
      return r;
    };
    const auto a = keyset(false);
    const auto b = offset(false);
    if (a.size() != page || b.size() != page || a.front().id != b.front().id ||
        a.back().id != b.back().id) {
      throw std::runtime_error(fmt::format("depth {}: keyset and offset read other pages", depth));
    }
    // Each way in a block of its own, after its own warm-up: an offset that reads 100k
    // records pushes the pages a keyset page reads out of SQLite's page cache, which an
    // interleaved keyset call would then pay for. The blocks swap places at every depth.
    auto block = [&](auto& way) {
      for (int i = 0; i < 3; ++i) (void)way(false);
      for (int i = 0; i < calls; ++i) (void)way(true);
    };
    if (out.size() % 2 == 0) {
      block(keyset);
      block(offset);
    } else {
      block(offset);
      block(keyset);
    }
    out.push_back({name, depth, median(keyset_us),
                   *std::min_element(keyset_us.begin(), keyset_us.end()), median(offset_us),
                   *std::min_element(offset_us.begin(), offset_us.end())});
    const Point& p = out.back();
    fmt::print(
        "{:<12} depth {:>7}  keyset {:>9.1f} us (fastest {:>9.1f})  offset {:>9.1f} us "
        "(fastest {:>9.1f})  offset/keyset {:.1f}x\n",
        p.backend, p.depth, p.keyset_median_us, p.keyset_min_us, p.offset_median_us,
        p.offset_min_us, p.offset_median_us / p.keyset_median_us);
    std::fflush(stdout);
  }
  return out;
}

// Draws the medians with gnuplot: milliseconds per page on a log scale against the depth,
// one line per way and backend. Returns an error message, empty on success.
std::string plot(const std::string& file, const std::vector<Point>& points, std::int64_t records,
                 std::size_t page) {
  std::vector<std::string> backends;
  for (const Point& p : points) {
    if (std::find(backends.begin(), backends.end(), p.backend) == backends.end()) {
      backends.push_back(p.backend);
    }
  }
  const bool png = file.ends_with(".png");
  std::string script = png ? "set terminal pngcairo size 800,500 noenhanced\n"
                           : "set terminal svg size 800,500 dynamic noenhanced\n";
  script += fmt::format("set output '{}'\n", file);
  for (std::size_t b = 0; b < backends.size(); ++b) {
    script += fmt::format("$d{} << EOD\n", b);
    for (const Point& p : points) {
      if (p.backend == backends[b]) {
        script += fmt::format("{} {} {}\n", p.depth, p.keyset_median_us / 1000,
                              p.offset_median_us / 1000);
      }
    }
    script += "EOD\n";
  }
  script += fmt::format(
      "set title 'A page of {} by id, {} records: keyset (after a cursor) against offset'\n"
      "set xlabel 'records before the page'\nset ylabel 'ms per page (median, log scale)'\n"
      "set logscale y\nset grid\nset key top left\nset format x '%.0f'\n",
      page, records);
  std::string cmd = "plot ";
  for (std::size_t b = 0; b < backends.size(); ++b) {
    cmd += fmt::format(
        "{}$d{} using 1:2 with linespoints lw 2 lc {} pt 7 title 'keyset, {}', "
        "$d{} using 1:3 with linespoints lw 2 lc {} pt 5 dt 2 title 'offset, {}'",
        b == 0 ? "" : ", ", b, b + 1, backends[b], b, b + 1, backends[b]);
  }
  script += cmd + "\n";

  return bench::run_gnuplot(script, file);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"keyset_bench: the time of one page against its depth, keyset against offset"};
  std::vector<std::string> backends;
  std::int64_t records = 200'000;
  std::vector<std::int64_t> depths = {0, 10'000, 100'000};
  std::size_t page = 50;
  int calls = 21;
  std::string plot_file;
  app.add_option("--backend", backends,
                 "a store URL, repeatable (default and `sqlite`: a SQLite file in a fresh "
                 "temporary directory); its tags table must be empty");
  app.add_option("--records", records, "records in the table")->check(CLI::Range(1, 10'000'000));
  app.add_option("--depths", depths, "records before the page, comma-separated")
      ->delimiter(',')
      ->check(CLI::NonNegativeNumber);
  app.add_option("--page", page, "records per page")->check(CLI::Range(1, 10'000));
  app.add_option("--calls", calls, "timed calls of each way per depth")->check(CLI::Range(1, 1000));
  app.add_option("--plot", plot_file, "draw the medians with gnuplot (.svg or .png)");
  CLI11_PARSE(app, argc, argv);
  if (backends.empty()) backends.emplace_back("sqlite");
  for (const std::int64_t d : depths) {
    if (d + static_cast<std::int64_t>(page) > records) {
      std::cerr << "keyset_bench: depth " << d << " plus a page exceeds --records\n";
      return 2;
    }
  }

  std::vector<Point> points;
  std::vector<std::filesystem::path> temporary;
  int rc = 0;
  try {
    for (const std::string& b : backends) {
      std::string url = b;
      const bool file = b == "sqlite";
      if (file) {
        std::string dir =
            (std::filesystem::temp_directory_path() / "optimist-keyset-XXXXXX").string();
        if (::mkdtemp(dir.data()) == nullptr) throw std::runtime_error("cannot make a directory");
        temporary.emplace_back(dir);
        url = "sqlite:" + dir + "/tags.db";
      }
      const auto store = optimist::open(url).value();
      const auto measured =
          measure(store, label(store->backend(), file), records, depths, page, calls);
      points.insert(points.end(), measured.begin(), measured.end());
    }
    if (!plot_file.empty()) {
      if (const std::string e = plot(plot_file, points, records, page); !e.empty()) {
        std::cerr << "keyset_bench: " << e << '\n';
        rc = 1;
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "keyset_bench: " << e.what() << '\n';
    rc = 1;
  }
  for (const auto& dir : temporary) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return rc;
}
