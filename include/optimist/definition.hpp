// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "optimist/detail/member.hpp"

namespace optimist {

/// Declares a resource: specialise it for your struct, beside the struct.
///
///     template <>
///     struct optimist::Definition<Address> {
///       static constexpr auto resource = optimist::resource<Address>(
///           "Address", "addresses",
///           optimist::primary_key<&Address::id>("id"),
///           optimist::version<&Address::version>("version"),
///           optimist::attribute<&Address::state>("state", {.required = true, .max_length = 2}),
///           optimist::attribute<&Address::county>("county", {.required = true}));
///       using read = optimist::Read<"read">;
///       using create = optimist::Create<"create", &Address::state, &Address::county>;
///       using update = optimist::Update<"update", &Address::state, &Address::county>;
///       using destroy = optimist::Destroy<"destroy">;
///     };
///
/// Identities (identity<>), values no two records may share, follow the attributes.
/// Defaults come from the struct's default member initialisers; the version attribute's
/// default (at least 1) is the version of every new record. Mistakes in types are compile
/// errors; invalid names are an `invalid_definition` error when the resource is opened.
template <class T>
struct Definition;

/// A struct with a Definition specialisation.
template <class T>
concept Defined = requires {
  Definition<T>::resource;
};

/// Checks on one attribute's values, applied by every action that writes it.
struct Constraints {
  bool required = false;       ///< text must be non-empty; an optional must hold a value
  std::size_t max_length = 0;  ///< text only: most Unicode code points; 0 is unlimited
  /// No two records may hold the same value (NULLs excepted): shorthand for an identity of
  /// this attribute alone, named after its column.
  bool unique = false;
};

/// What an attribute is to its resource.
enum class Role { attribute, primary_key, version };

/// One attribute: a data member, its column name and its constraints. Build it with
/// attribute<>, primary_key<> or version<>.
template <auto M, Role R>
struct Attribute {
  static constexpr auto member = M;
  static constexpr Role role = R;
  using owner = detail::owner_t<M>;
  using value_type = detail::value_t<M>;

  std::string_view name;
  Constraints constraints;
};

/// A plain attribute stored in column `name`.
template <auto M>
constexpr Attribute<M, Role::attribute> attribute(std::string_view name, Constraints c = {}) {
  static_assert(detail::MemberTraits<decltype(M)>::valid,
                "optimist: an attribute must be a pointer to a data member, like &Address::state");
  static_assert(detail::IsAttributeType<detail::value_t<M>>::value,
                "optimist: unsupported attribute type; use bool, a signed integer, double, "
                "std::string, or std::optional of one of them");
  return {name, c};
}

/// The primary key: a std::int64_t the store assigns on create; never accepted by actions.
template <auto M>
constexpr Attribute<M, Role::primary_key> primary_key(std::string_view name) {
  static_assert(detail::MemberTraits<decltype(M)>::valid,
                "optimist: the primary key must be a pointer to a data member, like &Address::id");
  static_assert(std::is_same_v<detail::value_t<M>, std::int64_t>,
                "optimist: the primary key must be a std::int64_t member");
  return {name, {}};
}

/// The version attribute that optimistic locking checks and increments; never accepted by
/// actions. Its default member value (at least 1) is the version of a new record.
template <auto M>
constexpr Attribute<M, Role::version> version(std::string_view name) {
  static_assert(detail::MemberTraits<decltype(M)>::valid,
                "optimist: the version must be a pointer to a data member, like &Address::version");
  static_assert(std::is_integral_v<detail::value_t<M>> && !std::is_same_v<detail::value_t<M>, bool>,
                "optimist: the version attribute must be an integral type, like std::int64_t");
  return {name, {}};
}

namespace detail {
/// How many of Ms point to the same member as M.
template <auto M, auto... Ms>
constexpr std::size_t occurrences() {
  return ((same_member<M, Ms>() ? 1 : 0) + ... + 0);
}
}  // namespace detail

/// An identity: attributes whose values, taken together, no two records may share (`email`;
/// `owner_id` and `name`). Build it with identity<>.
template <detail::FixedString Name, auto... Ms>
struct IdentitySpec {
  /// The identity's name: an identifier, and the `constraint` of the conflicts it causes.
  static constexpr std::string_view name = Name.view();
  /// The members, in the order given, each as a std::integral_constant.
  using members = std::tuple<std::integral_constant<decltype(Ms), Ms>...>;
};

/// An identity named `Name` over the attributes Ms, listed in resource() after the attributes:
/// identity<"by_owner_and_name", &Tag::owner_id, &Tag::name>(). A create, update or atomic
/// change that would give a second record the same values in all of Ms is a `conflict` whose
/// `constraint` is `Name`, on every store; records with a NULL (an empty std::optional) in
/// any of Ms are exempt, as in SQL. The SQL stores create a unique index `<table>_<Name>_key`
/// for it. Ms must be plain attributes of the resource: not the key, not the version.
template <detail::FixedString Name, auto... Ms>
constexpr IdentitySpec<Name, Ms...> identity() {
  static_assert(sizeof...(Ms) > 0, "optimist: an identity needs at least one attribute");
  static_assert((detail::MemberTraits<decltype(Ms)>::valid && ...),
                "optimist: an identity lists pointers to data members, like &Member::email");
  static_assert(((detail::occurrences<Ms, Ms...>() == 1) && ...),
                "optimist: an identity lists the same attribute more than once");
  return {};
}

namespace detail {
template <class A>
struct IsAttribute : std::false_type {};
template <auto M, Role R>
struct IsAttribute<Attribute<M, R>> : std::true_type {};

template <class I>
struct IsIdentity : std::false_type {};
template <FixedString N, auto... Ms>
struct IsIdentity<IdentitySpec<N, Ms...>> : std::true_type {};

template <Role R, class... As>
constexpr std::size_t count_role() {
  return ((As::role == R ? 1 : 0) + ... + 0);
}

/// True when no attribute follows an identity among Es.
template <class... Es>
constexpr bool attributes_first() {
  bool identity_seen = false;
  bool ordered = true;
  ((IsIdentity<Es>::value ? (void)(identity_seen = true) : (void)(ordered &= !identity_seen)), ...);
  return ordered;
}

/// The role of the attribute among As whose member is M; Role::attribute when there is none.
template <auto M, class... As>
constexpr Role role_of() {
  Role r = Role::attribute;
  ((same_member<M, As::member>() ? (void)(r = As::role) : (void)0), ...);
  return r;
}

/// True when every member of the identity is a member of struct T.
template <class T, FixedString N, auto... Ms>
constexpr bool identity_of_struct(const IdentitySpec<N, Ms...>*) {
  return (std::is_same_v<owner_t<Ms>, T> && ...);
}
/// True when every member of the identity is the member of one of the attributes As.
template <class... As, FixedString N, auto... Ms>
constexpr bool identity_of_attributes(const IdentitySpec<N, Ms...>*) {
  return ((occurrences<Ms, As::member...>() == 1) && ...);
}
/// True when no member of the identity is the key or the version among the attributes As.
template <class... As, FixedString N, auto... Ms>
constexpr bool identity_of_plain_attributes(const IdentitySpec<N, Ms...>*) {
  return ((role_of<Ms, As...>() == Role::attribute) && ...);
}
}  // namespace detail

/// A resource's attributes and identities with its name and table: the value
/// `Definition<T>::resource`. Attributes and Identities are std::tuples of Attribute and
/// IdentitySpec.
template <class T, class Attributes, class Identities>
struct ResourceSpec {
  using type = T;
  std::string_view name;
  std::string_view table;
  Attributes attributes;  ///< in column order
  Identities identities;  ///< in declaration order
};

namespace detail {
/// The ResourceSpec of T from attributes As and identities Is, with the checks that need both.
template <class T, class... As, class... Is>
constexpr ResourceSpec<T, std::tuple<As...>, std::tuple<Is...>> make_spec(
    std::string_view name, std::string_view table, std::tuple<As...> attributes,
    std::tuple<Is...> identities) {
  static_assert((std::is_same_v<typename As::owner, T> && ...),
                "optimist: every attribute must be a member of the resource's own struct");
  static_assert(count_role<Role::primary_key, As...>() == 1,
                "optimist: a resource needs exactly one primary_key attribute");
  static_assert(count_role<Role::version, As...>() == 1,
                "optimist: a resource needs exactly one version attribute");
  static_assert(((occurrences<As::member, As::member...>() == 1) && ...),
                "optimist: a member is declared as more than one attribute");
  constexpr bool of_struct = (identity_of_struct<T>(static_cast<const Is*>(nullptr)) && ...);
  static_assert(of_struct,
                "optimist: an identity lists a member of another struct than the resource's");
  static_assert(
      !of_struct || (identity_of_attributes<As...>(static_cast<const Is*>(nullptr)) && ...),
      "optimist: an identity lists a member that is not declared as an attribute");
  static_assert((identity_of_plain_attributes<As...>(static_cast<const Is*>(nullptr)) && ...),
                "optimist: an identity may not include the primary key or the version; the key is "
                "unique already and the version changes with every write");
  static_assert(std::is_default_constructible_v<T> && std::is_copy_constructible_v<T>,
                "optimist: a resource struct must be default- and copy-constructible");
  return {name, table, std::move(attributes), std::move(identities)};
}

template <class T, std::size_t N, class... Es, std::size_t... A, std::size_t... I>
constexpr auto split_spec(std::string_view name, std::string_view table, std::tuple<Es...> all,
                          std::index_sequence<A...>, std::index_sequence<I...>) {
  using All = std::tuple<Es...>;
  return make_spec<T>(name, table, std::tuple<std::tuple_element_t<A, All>...>{std::get<A>(all)...},
                      std::tuple<std::tuple_element_t<N + I, All>...>{std::get<N + I>(all)...});
}
}  // namespace detail

/// Builds the ResourceSpec of struct T from its attributes, in column order, then its
/// identities (optional).
template <class T, class... Es>
constexpr auto resource(std::string_view name, std::string_view table, Es... elements) {
  constexpr bool known = ((detail::IsAttribute<Es>::value || detail::IsIdentity<Es>::value) && ...);
  static_assert(known,
                "optimist: list attributes built with optimist::attribute, primary_key or "
                "version, then identities built with optimist::identity");
  constexpr bool ordered = detail::attributes_first<Es...>();
  static_assert(ordered, "optimist: list the identities after every attribute");
  if constexpr (known && ordered) {  // else the checks of make_spec would only add noise
    constexpr std::size_t n = (std::size_t{detail::IsAttribute<Es>::value} + ... + 0);
    return detail::split_spec<T, n>(name, table, std::tuple<Es...>{elements...},
                                    std::make_index_sequence<n>{},
                                    std::make_index_sequence<sizeof...(Es) - n>{});
  } else {
    return ResourceSpec<T, std::tuple<>, std::tuple<>>{name, table, {}, {}};
  }
}

/// The kinds of action a resource declares.
enum class ActionKind { read, create, update, destroy };

/// The kind's name, e.g. `update`.
std::ostream& operator<<(std::ostream& os, ActionKind kind);

/// A read action's option: the attributes that dynamic queries through it may filter on
/// (Resource<T>::page_from). Typed queries may filter on any attribute.
template <auto... Members>
struct Filterable {};
/// A read action's option: the attributes that dynamic queries through it may sort on.
template <auto... Members>
struct Sortable {};
/// A read action's option: the order of its queries that give none, as sort keys
/// (DefaultOrder<optimist::desc<&Tag::weight>>); the primary key always ends it.
template <auto... Keys>
struct DefaultOrder {};
/// A read action's option: the most records one page of a dynamic query may ask for
/// (without it, 1000).
template <std::size_t N>
struct MaxLimit {};

namespace detail {
template <class Option>
struct ReadOption {
  static constexpr bool valid = false;
};
template <auto... Ms>
struct ReadOption<Filterable<Ms...>> {
  static constexpr bool valid = true;
  template <auto M>
  static constexpr bool filters = (same_member<M, Ms>() || ...);
};
template <auto... Ms>
struct ReadOption<Sortable<Ms...>> {
  static constexpr bool valid = true;
  template <auto M>
  static constexpr bool sorts = (same_member<M, Ms>() || ...);
};
template <auto... Keys>
struct ReadOption<DefaultOrder<Keys...>> {
  static constexpr bool valid = true;
};
template <std::size_t N>
struct ReadOption<MaxLimit<N>> {
  static constexpr bool valid = true;
  static constexpr std::size_t max_limit = N;
};
template <class Option, auto M>
constexpr bool filters_option() {
  if constexpr (requires { ReadOption<Option>::template filters<M>; }) {
    return ReadOption<Option>::template filters<M>;
  } else {
    return false;
  }
}
template <class Option, auto M>
constexpr bool sorts_option() {
  if constexpr (requires { ReadOption<Option>::template sorts<M>; }) {
    return ReadOption<Option>::template sorts<M>;
  } else {
    return false;
  }
}
}  // namespace detail

/// Reads records: one by primary key (Resource<T>::get), or many by a query (all, page and
/// the others). Options (Filterable, Sortable, DefaultOrder, MaxLimit) shape its queries;
/// a struct deriving from a Read with a `static optimist::Where<T> where()` adds that filter
/// to every query through it (a base filter: say, the records not archived).
template <detail::FixedString Name, class... Options>
struct Read {
  static_assert((detail::ReadOption<Options>::valid && ...),
                "optimist: a Read action's options are Filterable, Sortable, DefaultOrder and "
                "MaxLimit");
  static constexpr ActionKind kind = ActionKind::read;
  static constexpr std::string_view name = Name.view();
  /// True when dynamic queries through the action may filter on attribute M.
  template <auto M>
  static constexpr bool filters = (detail::filters_option<Options, M>() || ...);
  /// True when dynamic queries through the action may sort on attribute M.
  template <auto M>
  static constexpr bool sorts = (detail::sorts_option<Options, M>() || ...);
  /// The options, as given.
  using options = std::tuple<Options...>;
};

/// Creates a record from the accepted attributes; the others keep their defaults.
template <detail::FixedString Name, auto... Accepted>
struct Create {
  static constexpr ActionKind kind = ActionKind::create;
  static constexpr std::string_view name = Name.view();
  /// True when the action accepts attribute M.
  template <auto M>
  static constexpr bool accepts = (detail::same_member<M, Accepted>() || ...);
  /// The accepted members, each as a std::integral_constant.
  using accepted = std::tuple<std::integral_constant<decltype(Accepted), Accepted>...>;
};

/// Changes the accepted attributes of a record, locked on its version.
template <detail::FixedString Name, auto... Accepted>
struct Update {
  static constexpr ActionKind kind = ActionKind::update;
  static constexpr std::string_view name = Name.view();
  /// True when the action accepts attribute M.
  template <auto M>
  static constexpr bool accepts = (detail::same_member<M, Accepted>() || ...);
  /// The accepted members, each as a std::integral_constant.
  using accepted = std::tuple<std::integral_constant<decltype(Accepted), Accepted>...>;
};

/// Deletes a record, locked on its version.
template <detail::FixedString Name>
struct Destroy {
  static constexpr ActionKind kind = ActionKind::destroy;
  static constexpr std::string_view name = Name.view();
};

/// A new value for one attribute, for create and update actions: set<&Address::state>("NC").
template <auto M>
struct Change {
  static constexpr auto member = M;
  detail::value_t<M> value;
};

/// Builds a Change of attribute M to `value`, converted to the member's type.
template <auto M, class V>
constexpr Change<M> set(V&& value) {
  static_assert(detail::MemberTraits<decltype(M)>::valid,
                "optimist: set<> takes a pointer to a data member, like set<&Address::state>(...)");
  static_assert(std::is_constructible_v<detail::value_t<M>, V&&>,
                "optimist: the value cannot be converted to the attribute's type");
  return Change<M>{detail::value_t<M>(std::forward<V>(value))};
}

namespace detail {
template <class V>
inline constexpr bool is_numeric_attribute =
    (std::is_integral_v<V> && !std::is_same_v<V, bool>) || std::is_floating_point_v<V>;
/// The type of an amount added to a V: std::int64_t for integers, double otherwise.
template <class V>
using amount_t = std::conditional_t<std::is_floating_point_v<V>, double, std::int64_t>;
/// False for NaN and the infinities (std::isfinite is not constexpr before C++23).
constexpr bool finite(double d) {
  return d - d == 0;
}
}  // namespace detail

/// An atomic change of a numeric attribute, for Resource<T>::change and change_locked:
/// the data layer adds `amount` to the stored value in place (`points = points + 3`),
/// without reading it first. Build it with increment<>() or decrement<>().
template <auto M>
struct Delta {
  static constexpr auto member = M;
  detail::amount_t<detail::value_t<M>> amount;
  /// False when the amount asked for has no `amount` value (an unsigned number above
  /// INT64_MAX, a decrement by INT64_MIN, a non-finite number): the change is then refused
  /// as `invalid` (out_of_range) before any I/O.
  bool in_range = true;
};

/// Builds a Delta that adds `n` to attribute M: increment<&Player::points>(3). A negative
/// `n` subtracts. M must be a std::int64_t or double attribute (not optional); an integer
/// attribute takes an integer `n`.
template <auto M, class N>
constexpr Delta<M> increment(N n) {
  static_assert(detail::MemberTraits<decltype(M)>::valid,
                "optimist: increment<> takes a pointer to a data member, like "
                "increment<&Player::points>(3)");
  static_assert(detail::is_numeric_attribute<detail::value_t<M>>,
                "optimist: only a numeric attribute (an integer or floating-point member, not "
                "bool, text or optional) can be incremented");
  static_assert(std::is_same_v<detail::value_t<M>, std::int64_t> ||
                    std::is_same_v<detail::value_t<M>, double>,
                "optimist: only a std::int64_t or double attribute can be incremented; the "
                "data layer adds in 64 bits, and a narrower member could not read the sum back");
  static_assert(std::is_arithmetic_v<N> && !std::is_same_v<N, bool>,
                "optimist: the amount of an increment must be a number");
  using A = detail::amount_t<detail::value_t<M>>;
  static_assert(std::is_floating_point_v<A> || std::is_integral_v<N>,
                "optimist: an integer attribute is incremented by a whole number; pass an "
                "integer amount");
  if constexpr (std::is_integral_v<A>) {
    if (!std::in_range<A>(n)) return Delta<M>{0, false};
    return Delta<M>{static_cast<A>(n)};
  } else {
    const A amount = static_cast<A>(n);
    return Delta<M>{amount, detail::finite(amount)};
  }
}

/// Builds a Delta that subtracts `n` from attribute M: decrement<&Account::balance>(10).
template <auto M, class N>
constexpr Delta<M> decrement(N n) {
  Delta<M> d = increment<M>(n);
  if (d.amount == std::numeric_limits<decltype(d.amount)>::lowest()) {
    d.in_range = false;  // its negation does not fit
  } else {
    d.amount = -d.amount;
  }
  return d;
}

}  // namespace optimist
