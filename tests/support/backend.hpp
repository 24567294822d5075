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
#include <tuple>
#include <vector>

namespace optimist::testing {

/// One backend of the contract suite.
struct Backend {
  std::string name;  ///< the test parameter name: Memory, Sqlite, Postgres, ...
  /// Opens a fresh, empty store (no tables of earlier tests visible).
  std::function<Result<std::shared_ptr<Store>>()> open;
  /// Opens another store on the database of `store`, which `open` returned: the same SQLite
  /// file or PostgreSQL schema, on connections of its own. A memory store, and a SQLite
  /// database in memory, live inside their store: reopening one gives that store back.
  std::function<Result<std::shared_ptr<Store>>(const std::shared_ptr<Store>& store)> reopen{};
  /// Iterations per thread in concurrency tests: as many as the backend runs in seconds.
  int iterations = 20'000;
  /// Why this backend cannot run here (say, no database configured); empty when it can.
  std::string missing{};
};

/// Prints a backend as its name in test output.
inline void PrintTo(const Backend& backend, std::ostream* os) {
  *os << backend.name;
}

/// Every backend this build tests.
std::vector<Backend> backends();

/// For a fixture's SetUp: puts a fresh store of `backend` in `store`; when the backend
/// cannot run here, fails the test under CI=true and skips it otherwise.
void open_fresh_store(const Backend& backend, std::shared_ptr<Store>& store);

/// Base fixture: `store` is a fresh store of the parameter's backend.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { open_fresh_store(GetParam(), store); }
  std::shared_ptr<Store> store;
};

/// Base fixture of a table-driven contract test: every case of a list runs on every backend
/// (see OPTIMIST_CONTRACT_CASES). `store` is a fresh store of the backend, test_case() the
/// case. Case needs a `name` of letters and digits, shown in the test's name.
template <class Case>
class BackendCaseTest : public ::testing::TestWithParam<std::tuple<Backend, Case>> {
 protected:
  void SetUp() override { open_fresh_store(std::get<0>(this->GetParam()), store); }
  [[nodiscard]] const Case& test_case() const { return std::get<1>(this->GetParam()); }
  std::shared_ptr<Store> store;
};

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

/// Prints a case-table parameter in test output as "Backend, case".
template <class Case>
void PrintTo(const std::tuple<Backend, Case>& param, std::ostream* os) {
  *os << std::get<0>(param).name << ", " << std::get<1>(param).name;
}

/// "<case>_<backend>", e.g. HandleEmpty_Postgres.
template <class Param>
std::string case_and_backend_name(const ::testing::TestParamInfo<Param>& info) {
  return std::get<1>(info.param).name + "_" + std::get<0>(info.param).name;
}

}  // namespace optimist::testing

/// Runs every test of fixture `Suite` (derived from BackendTest) on every backend.
#define OPTIMIST_CONTRACT(Suite)                                                                  \
  INSTANTIATE_TEST_SUITE_P(Contract, Suite, ::testing::ValuesIn(::optimist::testing::backends()), \
                           ::optimist::testing::backend_name)

/// Runs every test of fixture `Suite` (derived from BackendCaseTest<Case>) for every case in
/// `cases` (a container of Case) on every backend.
#define OPTIMIST_CONTRACT_CASES(Suite, cases)                                  \
  INSTANTIATE_TEST_SUITE_P(                                                    \
      Contract, Suite,                                                         \
      ::testing::Combine(::testing::ValuesIn(::optimist::testing::backends()), \
                         ::testing::ValuesIn(cases)),                          \
      ::optimist::testing::case_and_backend_name<Suite::ParamType>)
