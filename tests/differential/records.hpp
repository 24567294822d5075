// SPDX-License-Identifier: MIT
// The typed side of the differential test: which struct each Res is, and the optimist::set
// changes an operation's fields ask for, with the number of changes fixed at compile time.
#pragma once

#include <cstddef>
#include <optimist/optimist.hpp>
#include <tuple>
#include <type_traits>
#include <utility>

#include "differential/operation.hpp"
#include "resources/address.hpp"
#include "resources/player.hpp"
#include "support/gauge.hpp"
#include "support/tally.hpp"

namespace optimist::differential {

using app::Address;
using app::Player;
using test_app::Gauge;
using test_app::Member;

/// Per resource: its Res, the members behind the attribute slots of an Op (in slot order),
/// which slots its create action accepts (bit i: slot i) and the member atomic changes add
/// to (nullptr when none).
template <class T>
struct Traits;
template <>
struct Traits<Player> {
  static constexpr Res res = Res::player;
  static constexpr auto slots = std::tuple{&Player::name, &Player::points};
  static constexpr unsigned creatable = 0b01;  // the create action accepts the name only
  static constexpr auto counter = &Player::points;
};
template <>
struct Traits<Address> {
  static constexpr Res res = Res::address;
  static constexpr auto slots = std::tuple{&Address::state, &Address::county};
  static constexpr unsigned creatable = 0b11;
  static constexpr auto counter = nullptr;
};
template <>
struct Traits<Member> {
  static constexpr Res res = Res::member;
  static constexpr auto slots = std::tuple{&Member::email, &Member::name};
  static constexpr unsigned creatable = 0b11;
  static constexpr auto counter = nullptr;
};
template <>
struct Traits<Gauge> {
  static constexpr Res res = Res::gauge;
  static constexpr auto slots =
      std::tuple{&Gauge::reading, &Gauge::active, &Gauge::note, &Gauge::limit};
  static constexpr unsigned creatable = 0b1111;
  static constexpr auto counter = &Gauge::reading;
};

template <class T>
inline constexpr std::size_t slot_count = std::tuple_size_v<decltype(Traits<T>::slots)>;

/// True when T has an attribute that atomic changes add to.
template <class T>
inline constexpr bool has_counter = !std::is_null_pointer_v<decltype(Traits<T>::counter)>;

/// Calls f(std::type_identity<T>{}) with the struct of `res`.
template <class F>
decltype(auto) with_type(Res res, F&& f) {
  switch (res) {
    case Res::address:
      return f(std::type_identity<Address>{});
    case Res::member:
      return f(std::type_identity<Member>{});
    case Res::gauge:
      return f(std::type_identity<Gauge>{});
    case Res::player:
      break;
  }
  return f(std::type_identity<Player>{});
}

/// The atomic change `op` asks for: `op.amount` added to T's counter, or subtracted.
template <class T>
requires has_counter<T>
auto delta_of(const Op& op) {
  // Not detail::value_t<m> of a local `constexpr auto m`: inside a template, GCC 12 gives
  // it the wrong type (std::int64_t amounts for a double member).
  using V = std::remove_cvref_t<decltype(std::declval<const T&>().*(Traits<T>::counter))>;
  using Amount = detail::amount_t<V>;
  const auto* a = std::get_if<Amount>(&op.amount);
  const Amount amount = a != nullptr ? *a : Amount{};
  return op.decrement ? decrement<Traits<T>::counter>(amount)
                      : increment<Traits<T>::counter>(amount);
}

/// The change of attribute M that `field` asks for: its literal (null for an optional when
/// the literal is null), or `base`'s own value.
template <auto M>
Change<M> change_of(const Field& field, const detail::owner_t<M>* base) {
  using V = detail::value_t<M>;
  if (field.mode == Field::Mode::same && base != nullptr) return set<M>(base->*M);
  if constexpr (detail::IsOptional<V>::value) {
    if (const auto* v = std::get_if<typename V::value_type>(&field.value)) return set<M>(V{*v});
  } else {
    if (const auto* v = std::get_if<V>(&field.value)) return set<M>(*v);
  }
  return set<M>(V{});
}

template <bool On, auto M>
auto maybe_change(const Field& field, const detail::owner_t<M>* base) {
  if constexpr (On) {
    return std::tuple<Change<M>>{change_of<M>(field, base)};
  } else {
    return std::tuple<>{};
  }
}

/// The changes `op` asks for as a tuple; On... says which slots are set (see with_slots).
template <class T, bool... On>
auto changes(const Op& op, const T* base) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple_cat(maybe_change<On, std::get<I>(Traits<T>::slots)>(op.fields[I], base)...);
  }
  (std::make_index_sequence<sizeof...(On)>{});
}

/// Calls `f.template operator()<On...>()`, one bool per slot of T, true for the slots `op`
/// sets: those the create action accepts when `Create`, and `same` only where there is a
/// base record (not when `Create`).
template <class T, bool Create, bool... On, class F>
decltype(auto) with_slots(const Op& op, F&& f) {
  constexpr std::size_t i = sizeof...(On);
  if constexpr (i == slot_count<T>) {
    return f.template operator()<On...>();
  } else {
    constexpr bool settable = !Create || ((Traits<T>::creatable >> i) & 1U) != 0;
    if constexpr (settable) {
      const Field::Mode mode = op.fields[i].mode;
      if (mode == Field::Mode::literal || (!Create && mode == Field::Mode::same)) {
        return with_slots<T, Create, On..., true>(op, std::forward<F>(f));
      }
    }
    return with_slots<T, Create, On..., false>(op, std::forward<F>(f));
  }
}

}  // namespace optimist::differential
