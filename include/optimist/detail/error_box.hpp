// SPDX-License-Identifier: MIT
// How optimist's results hold their Error, and the one Outcome policy that Result<T> and
// UnitResult share.
#pragma once

// Outcome's parts, not <boost/outcome.hpp>: that one also pulls in Boost.System and
// iostreams, which cost every including file about 1.5 s of compile time.
#include <boost/outcome/bad_access.hpp>
#include <boost/outcome/basic_result.hpp>
#include <boost/outcome/policy/base.hpp>
#include <memory>
#include <utility>

#include "optimist/error.hpp"

namespace optimist::detail {

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

/// The Error a result stores: in a box (Result<T>) or as itself (UnitError is an Error).
[[nodiscard]] inline const Error& stored_error(const ErrorBox& box) noexcept {
  return box.get();
}
[[nodiscard]] inline const Error& stored_error(const Error& error) noexcept {
  return error;
}

/// The Outcome no-value policy of every optimist result: `.value()` on a failure throws
/// optimist::Exception with the same Error; `.error()` on a success throws outcome's
/// bad_result_access.
struct ThrowException : BOOST_OUTCOME_V2_NAMESPACE::policy::base {
  template <class Impl>
  static constexpr void wide_value_check(Impl&& self) {
    if (!base::_has_value(self)) throw Exception(stored_error(base::_error(self)));
  }
  template <class Impl>
  static constexpr void wide_error_check(Impl&& self) {
    if (!base::_has_error(self)) throw BOOST_OUTCOME_V2_NAMESPACE::bad_result_access("no error");
  }
  template <class Impl>
  static constexpr void wide_exception_check(Impl&& self) {
    if (!base::_has_exception(self)) {
      throw BOOST_OUTCOME_V2_NAMESPACE::bad_result_access("no exception");
    }
  }
};

/// An Outcome result of T or E under optimist's policy.
template <class T, class E = ErrorBox>
using ResultBase = BOOST_OUTCOME_V2_NAMESPACE::basic_result<T, E, ThrowException>;

}  // namespace optimist::detail
