// SPDX-License-Identifier: MIT
// The compile-time view of a resource definition that Resource<T> is built on: where its
// key and version live, how a record becomes a Row and back, and its runtime Table.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "optimist/definition.hpp"
#include "optimist/detail/values.hpp"
#include "optimist/input.hpp"
#include "optimist/table.hpp"

namespace optimist {
namespace detail {

/// The action Definition<T> declares under `using read = ...` (and so on), or void.
template <class D>
struct ReadOf {
  using type = void;
};
template <class D>
requires requires {
  typename D::read;
}
struct ReadOf<D> {
  using type = typename D::read;
};
template <class D>
struct CreateOf {
  using type = void;
};
template <class D>
requires requires {
  typename D::create;
}
struct CreateOf<D> {
  using type = typename D::create;
};
template <class D>
struct UpdateOf {
  using type = void;
};
template <class D>
requires requires {
  typename D::update;
}
struct UpdateOf<D> {
  using type = typename D::update;
};
template <class D>
struct DestroyOf {
  using type = void;
};
template <class D>
requires requires {
  typename D::destroy;
}
struct DestroyOf<D> {
  using type = typename D::destroy;
};

template <class C>
struct IsChange : std::false_type {};
template <auto M>
struct IsChange<Change<M>> : std::true_type {};

template <class D>
struct IsDelta : std::false_type {};
template <auto M>
struct IsDelta<Delta<M>> : std::true_type {};

/// Marks a field of dynamic input that is refused by its name.
inline constexpr std::size_t no_column = static_cast<std::size_t>(-1);

/// What the names of dynamic input refer to.
struct ResolvedInput {
  std::vector<std::size_t> columns;  ///< by field: its column, or no_column when refused
  std::vector<bool> named;           ///< by column: whether some field names it
};

/// Resolves the names of `input` against `table`'s columns; `accepted` says by column which
/// attributes the action accepts. Appends one FieldError per refused name, in input order:
/// unknown_attribute (however often given), else duplicate_name, else not_accepted.
ResolvedInput resolve_input(const Table& table, std::span<const bool> accepted, const Input& input,
                            std::vector<FieldError>& errors);

/// Compile-time facts about resource T: its attributes and where key and version live.
template <class T>
struct Schema {
  static constexpr const auto& spec = Definition<T>::resource;
  using Attributes = std::remove_cvref_t<decltype(spec.attributes)>;
  static constexpr std::size_t size = std::tuple_size_v<Attributes>;

  template <std::size_t... I>
  static constexpr std::size_t find_role(Role r, std::index_sequence<I...>) {
    std::size_t found = size;
    ((std::tuple_element_t<I, Attributes>::role == r ? (found = I, 0) : 0), ...);
    return found;
  }
  template <auto M, std::size_t... I>
  static constexpr std::size_t find_member(std::index_sequence<I...>) {
    std::size_t found = size;
    ((same_member<M, std::tuple_element_t<I, Attributes>::member>() ? (found = I, 0) : 0), ...);
    return found;
  }

  static constexpr std::size_t key = find_role(Role::primary_key, std::make_index_sequence<size>{});
  static constexpr std::size_t version = find_role(Role::version, std::make_index_sequence<size>{});
  static constexpr auto key_member = std::tuple_element_t<key, Attributes>::member;
  static constexpr auto version_member = std::tuple_element_t<version, Attributes>::member;

  /// Column index of member M; `size` when M is not an attribute.
  template <auto M>
  static constexpr std::size_t column = find_member<M>(std::make_index_sequence<size>{});

  template <auto M>
  static constexpr const auto& attribute() {
    return std::get<column<M>>(spec.attributes);
  }

  template <class F>
  static void for_each(F&& f) {
    std::apply([&](const auto&... a) { (f(a), ...); }, spec.attributes);
  }

  /// Calls `f` with the attribute in column `column` (< size).
  template <class F>
  static void with_attribute(std::size_t column, F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (void)((column == I && (f(std::get<I>(spec.attributes)), true)) || ...);
    }
    (std::make_index_sequence<size>{});
  }

  /// Appends the constraint errors of every plain attribute of `record`, except the columns
  /// for which `skip(column)` is true.
  template <class Skip>
  static void check_record(const T& record, std::vector<FieldError>& errors, Skip skip) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      auto one = [&](const auto& a, std::size_t column) {
        if constexpr (std::remove_cvref_t<decltype(a)>::role == Role::attribute) {
          if (!skip(column)) check_value(a, record.*(a.member), errors);
        }
      };
      (one(std::get<I>(spec.attributes), I), ...);
    }
    (std::make_index_sequence<size>{});
  }

  /// By column: whether Action accepts the attribute.
  template <class Action>
  static constexpr std::array<bool, size> accepted_columns() {
    std::array<bool, size> mask{};
    [&]<class... Ms>(std::tuple<Ms...>*) {
      ((column<Ms::value> < size ? mask[column<Ms::value>] = true : false), ...);
    }(static_cast<typename Action::accepted*>(nullptr));
    return mask;
  }

  /// By column: whether read action Action lets dynamic queries filter on the attribute.
  template <class Action>
  static constexpr std::array<bool, size> filterable_columns() {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return std::array<bool, size>{
          Action::template filters<std::tuple_element_t<I, Attributes>::member>...};
    }
    (std::make_index_sequence<size>{});
  }
  /// By column: whether read action Action lets dynamic queries sort on the attribute.
  template <class Action>
  static constexpr std::array<bool, size> sortable_columns() {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return std::array<bool, size>{
          Action::template sorts<std::tuple_element_t<I, Attributes>::member>...};
    }
    (std::make_index_sequence<size>{});
  }
  /// By column: input_mismatch<V> of the attribute's type.
  static constexpr auto input_checks() {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return std::array<std::optional<FieldReason> (*)(const Value&), size>{
          &input_mismatch<typename std::tuple_element_t<I, Attributes>::value_type>...};
    }
    (std::make_index_sequence<size>{});
  }

  /// Resolves the names of `input` (resolve_input) and sets each field that passes them on
  /// `record` under the conversion rules of dynamic input. Appends every error: the refused
  /// names, then in input order wrong_type or out_of_range (the member left as it was) or the
  /// constraint errors of the new value.
  static ResolvedInput apply_input(const Table& table, std::span<const bool> accepted,
                                   const Input& input, T& record, std::vector<FieldError>& errors) {
    ResolvedInput resolved = resolve_input(table, accepted, input, errors);
    for (std::size_t i = 0; i < input.size(); ++i) {
      if (resolved.columns[i] == no_column) continue;
      with_attribute(resolved.columns[i], [&](const auto& a) {
        using V = typename std::remove_cvref_t<decltype(a)>::value_type;
        if (const auto why = input_mismatch<V>(input[i].value)) {
          errors.push_back({std::string(a.name), *why});
          return;
        }
        (void)from_value(Value(input[i].value), record.*(a.member));
        check_value(a, record.*(a.member), errors);
      });
    }
    return resolved;
  }

  /// The value of column `column` in `after` when it differs from `before`.
  static std::optional<Value> changed(std::size_t column, const T& before, const T& after) {
    std::optional<Value> out;
    with_attribute(column, [&](const auto& a) {
      if (before.*(a.member) != after.*(a.member)) out = to_value(after.*(a.member));
    });
    return out;
  }

  static Row to_row(const T& record) {
    Row row;
    row.reserve(size);
    for_each([&](const auto& a) { row.push_back(to_value(record.*(a.member))); });
    return row;
  }

  static Result<T> from_row(const Table& table, Row&& row) {
    if (row.size() != size) return column_type_error(table, std::min(row.size(), size));
    T record{};
    std::size_t bad = size;
    if (!assign(row, record, bad, std::make_index_sequence<size>{})) {
      return column_type_error(table, bad);
    }
    return record;
  }

  template <std::size_t... I>
  static bool assign(Row& row, T& record, std::size_t& bad, std::index_sequence<I...>) {
    return ((from_value(std::move(row[I]), record.*(std::tuple_element_t<I, Attributes>::member)) ||
             (bad = I, false)) &&
            ...);
  }

  /// The columns of identity I, in its order.
  template <class I>
  static std::vector<std::size_t> identity_columns() {
    return []<class... Ms>(std::tuple<Ms...>*) {
      return std::vector<std::size_t>{column<Ms::value>...};
    }(static_cast<typename I::members*>(nullptr));
  }

  /// The Table of T, built and validated once per process.
  static const Result<Table>& table();
};

/// Builds and validates the runtime Table of a resource (registration checks that need
/// values rather than types: identifiers, duplicates, constraint placement, defaults).
Result<Table> finish_table(Table table);

template <class T>
const Result<Table>& Schema<T>::table() {
  static const Result<Table> built = [] {
    Table t;
    t.resource = std::string(spec.name);
    t.name = std::string(spec.table);
    t.primary_key = key;
    t.version = version;
    using VersionType = std::remove_cvref_t<decltype(std::declval<T&>().*version_member)>;
    if constexpr (std::cmp_less(std::numeric_limits<VersionType>::max(), INT64_MAX)) {
      t.version_max = static_cast<std::int64_t>(std::numeric_limits<VersionType>::max());
    }
    const T defaults{};
    for_each([&](const auto& a) {
      using V = typename std::remove_cvref_t<decltype(a)>::value_type;
      t.columns.push_back(Column{.name = std::string(a.name),
                                 .type = column_type<V>(),
                                 .nullable = IsOptional<V>::value,
                                 .required = a.constraints.required,
                                 .max_length = a.constraints.max_length,
                                 .default_value = to_value(defaults.*(a.member))});
      if (a.constraints.unique) {  // shorthand for the identity of this attribute alone
        t.identities.push_back(
            Identity{.name = std::string(a.name), .columns = {t.columns.size() - 1}});
      }
    });
    std::apply(
        [&]<class... Is>(const Is&...) {
          (t.identities.push_back(
               Identity{.name = std::string(Is::name), .columns = identity_columns<Is>()}),
           ...);
        },
        spec.identities);
    return finish_table(std::move(t));
  }();
  return built;
}

/// An `invalid` error with field errors, for resource and action.
Error invalid_error(const Table& table, std::string_view action, std::vector<FieldError> fields);

/// invalid_error() for the values a write refused, as one pointer. Kept out of line (as is
/// invalid_version) on purpose: the stack frames of Resource<T>'s writes then hold no Error,
/// and the path that succeeds builds none.
[[nodiscard, gnu::noinline]] ErrorBox refused(const Table& table, std::string_view action,
                                              std::vector<FieldError> errors);

/// refused() for a record whose version is below 1: the version field, out_of_range.
[[nodiscard, gnu::noinline]] ErrorBox invalid_version(const Table& table, std::string_view action);

}  // namespace detail

}  // namespace optimist
