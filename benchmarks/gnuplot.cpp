// SPDX-License-Identifier: MIT
#include "gnuplot.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

extern char** environ;

namespace bench {

std::string run_gnuplot(const std::string& script, const std::string& file) {
  std::error_code ec;
  const auto dir =
      std::filesystem::temp_directory_path(ec) / fmt::format("optimist-plot-{}", ::getpid());
  std::filesystem::create_directories(dir, ec);
  const auto script_file = dir / "plot.gp";
  {
    std::ofstream out(script_file);
    out << script;
    if (!out) return "cannot write the gnuplot script in " + dir.string();
  }
  std::string gnuplot = "gnuplot";
  std::string path = script_file.string();
  char* argv[] = {gnuplot.data(), path.data(), nullptr};
  pid_t pid = -1;
  int status = 0;
  const int rc = posix_spawnp(&pid, "gnuplot", nullptr, nullptr, argv, environ);
  if (rc == 0) waitpid(pid, &status, 0);
  std::filesystem::remove_all(dir, ec);
  if (rc != 0) return "cannot run gnuplot (install gnuplot-nox)";
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "gnuplot failed to draw " + file;
  return {};
}

}  // namespace bench
