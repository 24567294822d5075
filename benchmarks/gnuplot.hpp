// SPDX-License-Identifier: MIT
// Drawing a plot the benchmarks made: gnuplot run on a script written to a temporary file.
#pragma once

#include <string>

namespace bench {

/// Runs gnuplot on `script`, which draws `file` (named in its messages only). Returns an
/// empty string, or what went wrong: gnuplot missing, or failing.
[[nodiscard]] std::string run_gnuplot(const std::string& script, const std::string& file);

}  // namespace bench
