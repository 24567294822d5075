// SPDX-License-Identifier: MIT
// retry() re-runs a callable by the kind of its error: one that returns no Result is refused.
#include <optimist/optimist.hpp>

int main() {
  const auto out = optimist::retry(optimist::RetryPolicy{}, [] { return 42; });
  return out.attempts;
}
