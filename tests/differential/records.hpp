// SPDX-License-Identifier: MIT
// The typed side of the differential test: which struct each Res is, and the optimist::set
// changes an operation's fields ask for, with the number of changes fixed at compile time.
#pragma once

#include <optimist/optimist.hpp>
#include <tuple>
#include <type_traits>
#include <utility>

#include "differential/operation.hpp"
#include "resources/address.hpp"
#include "resources/player.hpp"
#include "support/tally.hpp"

namespace optimist::differential {

using app::Address;
using app::Player;
using test_app::Member;

/// Per resource: its Res and the members behind the two attribute slots of an Op.
template <class T>
struct Traits;
template <>
struct Traits<Player> {
  static constexpr Res res = Res::player;
  static constexpr auto slot0 = &Player::name;
  static constexpr auto slot1 = &Player::points;
  static constexpr bool creates_slot1 = false;  // the create action accepts the name only
};
template <>
struct Traits<Address> {
  static constexpr Res res = Res::address;
  static constexpr auto slot0 = &Address::state;
  static constexpr auto slot1 = &Address::county;
  static constexpr bool creates_slot1 = true;
};
template <>
struct Traits<Member> {
  static constexpr Res res = Res::member;
  static constexpr auto slot0 = &Member::email;
  static constexpr auto slot1 = &Member::name;
  static constexpr bool creates_slot1 = true;
};

/// Calls f(std::type_identity<T>{}) with the struct of `res`.
template <class F>
decltype(auto) with_type(Res res, F&& f) {
  switch (res) {
    case Res::address:
      return f(std::type_identity<Address>{});
    case Res::member:
      return f(std::type_identity<Member>{});
    case Res::player:
      break;
  }
  return f(std::type_identity<Player>{});
}

/// The atomic change `op` asks for: `amount` added to Player::points, or subtracted.
inline Delta<&Player::points> delta_of(const Op& op) {
  return op.decrement ? decrement<&Player::points>(op.amount)
                      : increment<&Player::points>(op.amount);
}

/// Calls f(std::type_identity<T>{}) with the struct `op` is about: atomic changes are on
/// Player whatever `op.res` says.
template <class F>
decltype(auto) on_type(const Op& op, F&& f) {
  if (op.kind == OpKind::change || op.kind == OpKind::change_locked) {
    return f(std::type_identity<Player>{});
  }
  return with_type(op.res, std::forward<F>(f));
}

/// The change of attribute M that `field` asks for: its literal, or `base`'s own value.
template <auto M>
Change<M> change_of(const Field& field, const detail::owner_t<M>* base) {
  using V = detail::value_t<M>;
  if (field.mode == Field::Mode::same && base != nullptr) return set<M>(base->*M);
  if (const auto* v = std::get_if<V>(&field.value)) return set<M>(*v);
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

/// The changes `op` asks for as a tuple; A and B say which slots are set (see with_slots).
template <bool A, bool B, class T>
auto changes(const Op& op, const T* base) {
  return std::tuple_cat(maybe_change<A, Traits<T>::slot0>(op.fields[0], base),
                        maybe_change<B, Traits<T>::slot1>(op.fields[1], base));
}

/// Calls `f.template operator()<A, B>()` with A and B true for the slots `op` sets: those
/// the create action accepts when `create`, and `same` only where there is a base record.
template <class T, bool Create, class F>
decltype(auto) with_slots(const Op& op, F&& f) {
  const auto used = [&](std::size_t i) {
    return op.fields[i].mode == Field::Mode::literal ||
           (!Create && op.fields[i].mode == Field::Mode::same);
  };
  const bool a = used(0);
  const bool b = used(1) && (!Create || Traits<T>::creates_slot1);
  if (a && b) {
    if constexpr (!Create || Traits<T>::creates_slot1) return f.template operator()<true, true>();
  }
  if (!a && b) {
    if constexpr (!Create || Traits<T>::creates_slot1) return f.template operator()<false, true>();
  }
  if (a) return f.template operator()<true, false>();
  return f.template operator()<false, false>();
}

}  // namespace optimist::differential
