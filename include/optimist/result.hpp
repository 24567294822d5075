// SPDX-License-Identifier: MIT
#pragma once

// Outcome's parts, not <boost/outcome.hpp>: that one also pulls in Boost.System and
// iostreams, which cost every including file about 1.5 s of compile time.
#include <boost/outcome/bad_access.hpp>
#include <boost/outcome/basic_result.hpp>
#include <boost/outcome/policy/base.hpp>
#include <boost/outcome/success_failure.hpp>
#include <boost/outcome/try.hpp>
#include <boost/version.hpp>
#include <memory>
#include <utility>

#include "optimist/error.hpp"

namespace optimist {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

namespace detail {

/// How a Result stores its Error: behind a pointer, so that a successful Result carries 8
/// bytes beside its value instead of a whole Error (Outcome in Boost 1.74 keeps the error
/// member even when a value is held). Empty until an Error is put in; copies are deep.
class ErrorBox {
 public:
  ErrorBox() noexcept = default;
  ErrorBox(Error e) : error_(std::make_unique<Error>(std::move(e))) {}  // NOLINT: implicit
  ErrorBox(const ErrorBox& o) : error_(o.error_ ? std::make_unique<Error>(*o.error_) : nullptr) {}
  ErrorBox(ErrorBox&&) noexcept = default;
  ErrorBox& operator=(const ErrorBox& o) { return *this = ErrorBox(o); }
  ErrorBox& operator=(ErrorBox&&) noexcept = default;
  ~ErrorBox() = default;

  /// The Error; an empty box gets a default (internal) one.
  Error& get() {
    if (!error_) error_ = std::make_unique<Error>();
    return *error_;
  }
  /// The Error; an empty box reads as a default (internal) one.
  [[nodiscard]] const Error& get() const noexcept { return error_ ? *error_ : empty(); }

 private:
  static const Error& empty() noexcept {
    static const Error none;
    return none;
  }

  std::unique_ptr<Error> error_;
};

/// Outcome no-value policy: `.value()` on a failed Result throws optimist::Exception with
/// the same Error; `.error()` on a successful one throws outcome's bad_result_access.
struct ThrowException : outcome::policy::base {
  template <class Impl>
  static constexpr void wide_value_check(Impl&& self) {
    if (!base::_has_value(self)) {
      throw Exception(static_cast<const ErrorBox&>(base::_error(self)).get());
    }
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

template <class T>
using ResultBase = outcome::basic_result<T, ErrorBox, ThrowException>;

}  // namespace detail

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
