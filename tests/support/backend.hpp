// SPDX-License-Identifier: MIT
// The contract-suite fixture: every behavioural test runs once per backend. Backend
// differences live here (how to open a fresh store, how much work a test may do), never in
// `if` statements inside tests.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optimist/optimist.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace optimist::testing {

/// One backend of the contract suite.
struct Backend {
  std::string name;  ///< the test parameter name: Memory, Sqlite, Postgres, ...
  /// Opens a fresh, empty store (no tables of earlier tests visible).
  std::function<Result<std::shared_ptr<Store>>()> open;
  /// Iterations per thread in concurrency tests: as many as the backend runs in seconds.
  int iterations = 20'000;
  /// Why this backend cannot run here (say, no database configured); empty when it can.
  std::string missing{};
};

/// True when a backend that cannot run must fail its tests rather than skip them (CI=true).
bool must_not_skip();

/// Prints a backend as its name in test output.
inline void PrintTo(const Backend& backend, std::ostream* os) {
  *os << backend.name;
}

/// Every backend this build tests.
std::vector<Backend> backends();

/// Base fixture: `store` is a fresh store of the parameter's backend.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!GetParam().missing.empty()) {
      if (must_not_skip()) FAIL() << GetParam().missing << "; under CI=true that is a failure";
      GTEST_SKIP() << GetParam().missing;
    }
    auto opened = GetParam().open();
    ASSERT_TRUE(opened) << opened.error().message();
    store = std::move(opened).value();
  }
  std::shared_ptr<Store> store;
};

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

}  // namespace optimist::testing

/// Runs every test of fixture `Suite` (derived from BackendTest) on every backend.
#define OPTIMIST_CONTRACT(Suite)                                                                  \
  INSTANTIATE_TEST_SUITE_P(Contract, Suite, ::testing::ValuesIn(::optimist::testing::backends()), \
                           ::optimist::testing::backend_name)
