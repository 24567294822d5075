// SPDX-License-Identifier: MIT
// gMock matchers and printers for optimist results: assert kinds and fields, never text.
// (optimist's value types print through their own operator<<.)
#pragma once

#include <gmock/gmock.h>

#include <optimist/optimist.hpp>
#include <ostream>

namespace optimist {

template <class T>
void PrintTo(const Result<T>& r, std::ostream* os) {
  if (r) {
    *os << "ok";
  } else {
    *os << "error " << r.error().kind.name << ": " << r.error().message();
  }
}

inline void PrintTo(const UnitResult& r, std::ostream* os) {
  if (r) {
    *os << "ok";
  } else {
    *os << "error " << r.error().kind.name << " at step '" << r.error().step
        << "': " << r.error().message();
  }
}

}  // namespace optimist

namespace optimist::testing {

/// Matches a successful Result.
MATCHER(IsOk, "succeeds") {
  if (arg) return true;
  *result_listener << "fails with " << arg.error().kind.name << ": " << arg.error().message();
  return false;
}

/// Matches a failed Result whose error has kind `kind`.
MATCHER_P(HasErrorKind, kind, "fails with kind " + std::string(kind.name)) {
  if (arg) {
    *result_listener << "succeeds";
    return false;
  }
  *result_listener << "fails with " << arg.error().kind.name << ": " << arg.error().message();
  return arg.error().kind == kind;
}

}  // namespace optimist::testing
