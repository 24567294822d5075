// SPDX-License-Identifier: MIT
#pragma once

#include <boost/outcome.hpp>
#include <boost/version.hpp>

#include "optimist/error.hpp"

namespace optimist {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

namespace detail {
/// Outcome no-value policy: `.value()` on a failed Result throws optimist::Exception with
/// the same Error; `.error()` on a successful one throws outcome's bad_result_access.
struct ThrowException : outcome::policy::base {
  template <class Impl>
  static constexpr void wide_value_check(Impl&& self) {
    if (!base::_has_value(self)) throw Exception(base::_error(static_cast<Impl&&>(self)));
  }
  template <class Impl>
  static constexpr void wide_error_check(Impl&& self) {
    if (!base::_has_error(self)) throw outcome::bad_result_access("no error");
  }
  template <class Impl>
  static constexpr void wide_exception_check(Impl&& self) {
    if (!base::_has_exception(self)) throw outcome::bad_result_access("no exception");
  }
};
}  // namespace detail

/// The return type of every fallible optimist call: a T or an Error, never both.
/// `.value()` on an error throws optimist::Exception carrying that Error.
template <class T>
using Result = outcome::basic_result<T, Error, detail::ThrowException>;

/// A successful Result<void>.
[[nodiscard]] inline auto ok() {
  return outcome::success();
}

}  // namespace optimist

// OPTIMIST_TRY(var, expr): evaluates `expr` (a Result); on error returns the error from the
// enclosing function, else declares `var` holding the value. OPTIMIST_TRYV(expr) is the same
// for results whose value is not needed. Hides the spelling change of BOOST_OUTCOME_TRY
// between Boost versions.
#if BOOST_VERSION < 107500
#define OPTIMIST_TRY(var, ...) BOOST_OUTCOME_TRY(var, __VA_ARGS__)
#else
#define OPTIMIST_TRY(var, ...) BOOST_OUTCOME_TRY(auto&& var, __VA_ARGS__)
#endif
#define OPTIMIST_TRYV(...) BOOST_OUTCOME_TRYV(__VA_ARGS__)
