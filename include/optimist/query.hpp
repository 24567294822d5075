// SPDX-License-Identifier: MIT
// Typed queries: filters and orders on a resource's members, checked at compile time.
//
//     auto q = optimist::Query<Tag>(optimist::eq<&Tag::owner_id>(7) &&
//                                   optimist::starts_with<&Tag::name>("ca"))
//                  .order_by(optimist::desc<&Tag::name>)
//                  .limit(50);
//     auto tags = Resource<Tag>(store).all(q);
//
// A filter is data (a Condition): values are always bound, never written into SQL text.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "optimist/definition.hpp"
#include "optimist/detail/schema.hpp"
#include "optimist/selection.hpp"

namespace optimist {

template <Defined T>
class Where;

namespace detail {

/// Builds a Where<T> from its Condition: the typed builders below are its only callers.
struct WhereAccess {
  template <class T>
  static Where<T> make(Condition c) {
    return Where<T>(std::move(c));
  }
  template <class T>
  static Condition take(Where<T>&& w) {
    return std::move(w.condition_);
  }
};

/// The column of member M in its resource, checked.
template <auto M>
constexpr std::size_t query_column() {
  static_assert(MemberTraits<decltype(M)>::valid,
                "optimist: a query names a pointer to a data member, like eq<&Member::email>(...)");
  using S = Schema<owner_t<M>>;
  static_assert(S::template column<M> < S::size,
                "optimist: the member is not an attribute of its resource's definition");
  return S::template column<M>;
}

/// The attribute type of M without std::optional.
template <auto M>
using inner_t = typename std::conditional_t<IsOptional<value_t<M>>::value, value_t<M>,
                                            std::optional<value_t<M>>>::value_type;

/// An integer a query compares with integer columns: every signed type, and unsigned types
/// narrower than 64 bits (a std::uint64_t may not fit the stored std::int64_t).
template <class V>
inline constexpr bool query_integer = std::is_integral_v<V> && !std::is_same_v<V, bool> &&
                                      (std::is_signed_v<V> || sizeof(V) < sizeof(std::int64_t));

/// True when a value of type V may be compared with an attribute of type A (std::optional
/// removed): text with what converts to std::string_view, bool with bool, integers with
/// integers, floating point with integers and floating point.
template <class A, class V>
inline constexpr bool comparable =
    std::is_same_v<A, std::string> ? std::is_convertible_v<const V&, std::string_view>
    : std::is_same_v<A, bool>      ? std::is_same_v<V, bool>
    : std::is_integral_v<A>        ? query_integer<V>
    : std::is_floating_point_v<A>  ? query_integer<V> || std::is_floating_point_v<V>
                                   : false;

/// `v` as a value of M's column (see Condition): text, bool, std::int64_t or double.
template <auto M, class V>
Value query_value(const V& v) {
  using A = inner_t<M>;
  static_assert(comparable<A, V>,
                "optimist: the value's type does not match the attribute's type (text compares "
                "with text, bool with bool, numbers with numbers)");
  if constexpr (std::is_same_v<A, std::string>) {
    return Value{std::string(std::string_view(v))};
  } else if constexpr (std::is_same_v<A, bool>) {
    return Value{v};
  } else if constexpr (std::is_integral_v<A>) {
    return Value{static_cast<std::int64_t>(v)};
  } else {
    const auto d = static_cast<double>(v);
    return Value{d == 0 ? 0.0 : d};  // -0.0 is stored as 0.0
  }
}

template <auto M, class V>
Where<owner_t<M>> compare(Compare test, const V& v) {
  return WhereAccess::make<owner_t<M>>(Condition::of(test, query_column<M>(), {query_value<M>(v)}));
}

/// The operands of a combination, flattened when they combine the same way.
template <class T>
void gather(Condition::Kind kind, Where<T>& w, std::vector<Condition>& out) {
  Condition c = WhereAccess::take(std::move(w));
  if (c.kind == kind) {
    for (Condition& o : c.operands) out.push_back(std::move(o));
  } else {
    out.push_back(std::move(c));
  }
}

template <class T, class... Ws>
Where<T> combine(Condition::Kind kind, Where<T> first, Ws... rest) {
  static_assert((std::is_same_v<Ws, Where<T>> && ...),
                "optimist: a filter combines attributes of different resources");
  Condition c = Condition::joined(kind);
  gather(kind, first, c.operands);
  (gather(kind, rest, c.operands), ...);
  return WhereAccess::make<T>(std::move(c));
}

}  // namespace detail

/// A filter on the records of resource T: build it with eq<>, in<>, starts_with<> and the
/// others below, and combine filters with &&, || and ! (or and_, or_, not_).
template <Defined T>
class Where {
 public:
  /// Matches every record.
  Where() = default;
  /// The filter as data.
  [[nodiscard]] const Condition& condition() const noexcept { return condition_; }

 private:
  friend struct detail::WhereAccess;
  explicit Where(Condition c) : condition_(std::move(c)) {}
  Condition condition_;
};

/// Records whose attribute M equals `v`. V must fit M's type: text with text (anything that
/// converts to std::string_view), bool with bool, integers with integers, floating-point
/// attributes with any number. For std::optional attributes, the value inside; a record with
/// no value never matches (use is_null<>).
template <auto M, class V>
Where<detail::owner_t<M>> eq(const V& v) {
  return detail::compare<M>(Compare::eq, v);
}
/// Records whose attribute M is not `v` (and not NULL).
template <auto M, class V>
Where<detail::owner_t<M>> ne(const V& v) {
  return detail::compare<M>(Compare::ne, v);
}
/// Records whose attribute M is below `v`: numbers as numbers, text by code point.
template <auto M, class V>
Where<detail::owner_t<M>> lt(const V& v) {
  return detail::compare<M>(Compare::lt, v);
}
/// Records whose attribute M is at most `v`.
template <auto M, class V>
Where<detail::owner_t<M>> le(const V& v) {
  return detail::compare<M>(Compare::le, v);
}
/// Records whose attribute M is above `v`.
template <auto M, class V>
Where<detail::owner_t<M>> gt(const V& v) {
  return detail::compare<M>(Compare::gt, v);
}
/// Records whose attribute M is at least `v`.
template <auto M, class V>
Where<detail::owner_t<M>> ge(const V& v) {
  return detail::compare<M>(Compare::ge, v);
}

/// Records whose attribute M equals one of `values` (any range of values that fit M, as for
/// eq<>); an empty range matches nothing.
template <auto M, std::ranges::input_range R>
Where<detail::owner_t<M>> in(const R& values) {
  Condition c = Condition::of(Compare::in, detail::query_column<M>());
  for (const auto& v : values) c.values.push_back(detail::query_value<M>(v));
  return detail::WhereAccess::make<detail::owner_t<M>>(std::move(c));
}
/// in<>() of a braced list: in<&Tag::name>({"red", "green"}).
template <auto M, class V>
Where<detail::owner_t<M>> in(std::initializer_list<V> values) {
  return in<M, std::initializer_list<V>>(values);
}

/// Records whose std::optional attribute M holds no value.
template <auto M>
Where<detail::owner_t<M>> is_null() {
  constexpr std::size_t column = detail::query_column<M>();
  static_assert(detail::IsOptional<detail::value_t<M>>::value,
                "optimist: is_null<> needs a std::optional attribute");
  return detail::WhereAccess::make<detail::owner_t<M>>(Condition::of(Compare::is_null, column));
}

/// Records whose text attribute M begins with `prefix`, compared by code point. Every
/// character of the prefix stands for itself: `%`, `_` and `\` are no wildcards.
template <auto M>
Where<detail::owner_t<M>> starts_with(std::string_view prefix) {
  static_assert(std::is_same_v<detail::inner_t<M>, std::string>,
                "optimist: starts_with<> needs a text attribute");
  return detail::compare<M>(Compare::starts_with, prefix);
}

/// Records that both filters match.
template <class A, class B>
Where<A> operator&&(Where<A> a, Where<B> b) {
  return detail::combine(Condition::Kind::all_of, std::move(a), std::move(b));
}
/// Records that either filter matches.
template <class A, class B>
Where<A> operator||(Where<A> a, Where<B> b) {
  return detail::combine(Condition::Kind::any_of, std::move(a), std::move(b));
}
/// Records that the filter does not match, records with NULL included.
template <class T>
Where<T> operator!(Where<T> w) {
  std::vector<Condition> operand;
  operand.push_back(detail::WhereAccess::take(std::move(w)));
  return detail::WhereAccess::make<T>(
      Condition::joined(Condition::Kind::none_of, std::move(operand)));
}
/// Records that every filter matches.
template <class T, class... Ws>
Where<T> and_(Where<T> first, Ws... rest) {
  return detail::combine(Condition::Kind::all_of, std::move(first), std::move(rest)...);
}
/// Records that at least one filter matches.
template <class T, class... Ws>
Where<T> or_(Where<T> first, Ws... rest) {
  return detail::combine(Condition::Kind::any_of, std::move(first), std::move(rest)...);
}
/// Records that the filter does not match, as operator!.
template <class T>
Where<T> not_(Where<T> w) {
  return !std::move(w);
}

/// One key of a query's order on resource T: asc<&T::member> or desc<&T::member>.
template <class T>
struct SortBy {
  SortKey key;
};

namespace detail {
template <auto M>
constexpr SortBy<owner_t<M>> sort_by(bool descending) {
  return {SortKey{query_column<M>(), descending}};
}
}  // namespace detail

/// Sorts by attribute M, lowest first (NULL first).
template <auto M>
inline constexpr SortBy<detail::owner_t<M>> asc = detail::sort_by<M>(false);
/// Sorts by attribute M, highest first (NULL last).
template <auto M>
inline constexpr SortBy<detail::owner_t<M>> desc = detail::sort_by<M>(true);

/// A query on the records of resource T: a filter, an order and a window, for
/// Resource<T>::all, page, count and the others. Every order is total: the primary key
/// ascending sorts records that the given keys leave equal.
template <Defined T>
class Query {
 public:
  /// Every record, by primary key.
  Query() = default;
  /// The records `where` matches, by primary key.
  Query(Where<T> where) {  // NOLINT(google-explicit-constructor): a filter is a query
    selection_.where = detail::WhereAccess::take(std::move(where));
  }

  /// Also requires `where` (and with the filter so far).
  Query& where(Where<T> more) & {
    if (selection_.where.kind == Condition::Kind::all) {
      selection_.where = detail::WhereAccess::take(std::move(more));
    } else {
      selection_.where = detail::WhereAccess::take(detail::combine(
          Condition::Kind::all_of, detail::WhereAccess::make<T>(std::move(selection_.where)),
          std::move(more)));
    }
    return *this;
  }
  Query&& where(Where<T> more) && { return std::move(where(std::move(more))); }

  /// Sorts by `keys`, in turn (replacing an earlier order).
  template <class... Us>
  Query& order_by(SortBy<Us>... keys) & {
    static_assert((std::is_same_v<Us, T> && ...),
                  "optimist: the query sorts by an attribute of another resource");
    selection_.order = {keys.key...};
    return *this;
  }
  template <class... Us>
  Query&& order_by(SortBy<Us>... keys) && {
    return std::move(order_by(keys...));
  }

  /// Returns at most `n` records; for a page, its size.
  Query& limit(std::size_t n) & {
    selection_.limit = n;
    return *this;
  }
  Query&& limit(std::size_t n) && { return std::move(limit(n)); }

  /// Skips the first `n` records. The database still reads them: offsets cost time in
  /// proportion to `n`. Pages with a cursor (Resource<T>::page) stay fast at any depth.
  Query& offset(std::size_t n) & {
    selection_.offset = n;
    return *this;
  }
  Query&& offset(std::size_t n) && { return std::move(offset(n)); }

  /// The query as data.
  [[nodiscard]] const Selection& selection() const noexcept { return selection_; }

 private:
  Selection selection_;
};

namespace detail {

template <class Option>
struct OrderOption {
  static constexpr std::array<SortKey, 0> keys{};
  template <class T>
  static constexpr bool on = true;
};
template <auto... Keys>
struct OrderOption<DefaultOrder<Keys...>> {
  static constexpr std::array<SortKey, sizeof...(Keys)> keys{Keys.key...};
  template <class T>
  static constexpr bool on = (std::is_same_v<std::remove_cvref_t<decltype(Keys)>, SortBy<T>> &&
                              ...);
};
template <class Option>
struct LimitOption {
  static constexpr std::size_t max_limit = 0;
};
template <std::size_t N>
struct LimitOption<MaxLimit<N>> {
  static_assert(N > 0, "optimist: MaxLimit<> takes a positive number of records");
  static constexpr std::size_t max_limit = N;
};

/// The DefaultOrder of read action Action on resource T; empty without one.
template <class T, class Action>
std::vector<SortKey> default_order() {
  std::vector<SortKey> out;
  if constexpr (requires { typename Action::options; }) {
    [&]<class... Os>(std::tuple<Os...>*) {
      static_assert((OrderOption<Os>::template on<T> && ...),
                    "optimist: a DefaultOrder sorts by an attribute of another resource");
      (out.insert(out.end(), OrderOption<Os>::keys.begin(), OrderOption<Os>::keys.end()), ...);
    }(static_cast<typename Action::options*>(nullptr));
  }
  return out;
}

/// The MaxLimit of read action Action; 1000 without one.
template <class Action>
constexpr std::size_t max_limit() {
  std::size_t n = 0;
  if constexpr (requires { typename Action::options; }) {
    [&]<class... Os>(std::tuple<Os...>*) {
      ((n = LimitOption<Os>::max_limit != 0 ? LimitOption<Os>::max_limit : n), ...);
    }(static_cast<typename Action::options*>(nullptr));
  }
  return n != 0 ? n : 1000;
}

}  // namespace detail

namespace detail {

/// Where resource T's identity `Name` is: a declared identity<> (its index in the spec's
/// identities) or a unique attribute named so (its column); `none` when neither.
template <class T, FixedString Name>
struct IdentityLookup {
  using S = Schema<T>;
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  using Identities = std::remove_cvref_t<decltype(S::spec.identities)>;
  static constexpr std::size_t declared = [] {
    std::size_t found = none;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((std::tuple_element_t<I, Identities>::name == Name.view() ? (void)(found = I) : (void)0),
       ...);
    }
    (std::make_index_sequence<std::tuple_size_v<Identities>>{});
    return found;
  }();
  static constexpr std::size_t attribute = [] {
    std::size_t found = none;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((std::get<I>(S::spec.attributes).constraints.unique &&
                std::get<I>(S::spec.attributes).name == Name.view()
            ? (void)(found = I)
            : (void)0),
       ...);
    }
    (std::make_index_sequence<S::size>{});
    return found;
  }();
};

/// The filter that identity `Name` of T holds `values`.
template <class T, FixedString Name, class... Vs>
Where<T> identity_filter(const Vs&... values) {
  using L = IdentityLookup<T, Name>;
  static_assert(L::declared != L::none || L::attribute != L::none,
                "optimist: the resource declares no identity (or unique attribute) of that name");
  if constexpr (L::declared != L::none) {
    using Members = typename std::tuple_element_t<L::declared, typename L::Identities>::members;
    return [&]<class... Ms>(std::tuple<Ms...>*) {
      static_assert(
          sizeof...(Ms) == sizeof...(Vs),
          "optimist: get_by<> takes one value per attribute of the identity, in its order");
      return and_(eq<Ms::value>(values)...);
    }(static_cast<Members*>(nullptr));
  } else {
    static_assert(sizeof...(Vs) == 1, "optimist: get_by<> of a unique attribute takes one value");
    constexpr auto member = std::tuple_element_t<L::attribute, typename L::S::Attributes>::member;
    return eq<member>(values...);
  }
}

}  // namespace detail

/// One page of a query's records, and where the next one starts.
template <class T>
struct Page {
  std::vector<T> records;
  /// The opaque cursor of the next page: pass it to Resource<T>::page with the same query.
  /// None when no record follows this page.
  std::optional<std::string> next;
};

}  // namespace optimist
