// SPDX-License-Identifier: MIT
#pragma once

#include <boost/outcome/success_failure.hpp>
#include <boost/outcome/try.hpp>
#include <boost/version.hpp>
#include <utility>

#include "optimist/detail/error_box.hpp"
#include "optimist/error.hpp"

namespace optimist {

/// Boost.Outcome, as optimist uses it: `optimist::outcome::bad_result_access` and the rest.
namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

/// The return type of every fallible optimist call: a T or an Error, never both. It is an
/// Outcome basic_result: construct it from a T or an Error, test it with `if (r)` or
/// `has_value()`, and propagate errors with OPTIMIST_TRY. `.value()` on an error throws
/// optimist::Exception carrying that Error; `.error()` on a value throws
/// outcome::bad_result_access. A successful Result costs its value and one null pointer:
/// the Error lives on the heap, only when there is one.
template <class T>
class Result : public detail::ResultBase<T> {
  using Base = detail::ResultBase<T>;

 public:
  using Base::Base;

  /// The Error held. Throws outcome::bad_result_access when a value is held.
  [[nodiscard]] Error& error() & { return Base::error().get(); }
  [[nodiscard]] const Error& error() const& { return Base::error().get(); }
  [[nodiscard]] Error&& error() && { return std::move(Base::error().get()); }
  /// As error(), without the check: only when has_error() is known to be true.
  [[nodiscard]] Error& assume_error() & { return Base::assume_error().get(); }
  [[nodiscard]] const Error& assume_error() const& noexcept { return Base::assume_error().get(); }
  [[nodiscard]] Error&& assume_error() && { return std::move(Base::assume_error().get()); }
};

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
