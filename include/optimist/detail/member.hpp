// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace optimist::detail {

/// Splits a data member pointer type `V C::*` into C and V; `valid` is false otherwise.
template <class P>
struct MemberTraits {
  static constexpr bool valid = false;
  using owner = void;
  using value_type = void;
};
template <class C, class V>
struct MemberTraits<V C::*> {
  static constexpr bool valid = !std::is_function_v<V>;
  using owner = C;
  using value_type = V;
};

template <auto M>
using owner_t = typename MemberTraits<decltype(M)>::owner;
template <auto M>
using value_t = typename MemberTraits<decltype(M)>::value_type;

/// True when A and B point to the same member (of any types).
template <auto A, auto B>
constexpr bool same_member() {
  if constexpr (std::is_same_v<decltype(A), decltype(B)>) {
    return A == B;
  } else {
    return false;
  }
}

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

/// A type optimist stores in one column.
template <class V>
concept Scalar = std::same_as<V, bool> || std::same_as<V, std::string> || std::floating_point<V> ||
    (std::integral<V> && (std::is_signed_v<V> || sizeof(V) < sizeof(std::int64_t)));

template <class V>
struct IsAttributeType : std::bool_constant<Scalar<V>> {};
template <class V>
struct IsAttributeType<std::optional<V>> : std::bool_constant<Scalar<V>> {};

/// A string usable as a template argument, for action names: Update<"rename", ...>.
template <std::size_t N>
struct FixedString {
  char chars[N]{};
  constexpr FixedString(const char (&s)[N]) { std::copy_n(s, N, chars); }  // NOLINT: implicit
  [[nodiscard]] constexpr std::string_view view() const { return {chars, N - 1}; }
};

}  // namespace optimist::detail
