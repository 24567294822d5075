// SPDX-License-Identifier: MIT
// How Resource<T> checks a write before any I/O and carries out the ones its public calls
// delegate. Included at the end of optimist/resource.hpp, whose declarations are the
// contract; nothing here is API. Every definition is inline, as it was inside the class.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "optimist/resource.hpp"

namespace optimist {

template <Defined T>
template <class Action, class... Cs>
constexpr void Resource<T>::check_changes() {
  static_assert((detail::IsChange<std::remove_cvref_t<Cs>>::value && ...),
                "optimist: pass changes as optimist::set<&T::member>(value)");
  static_assert((std::is_same_v<detail::owner_t<std::remove_cvref_t<Cs>::member>, T> && ...),
                "optimist: a change sets a member of another struct than this resource's");
  static_assert((Action::template accepts<std::remove_cvref_t<Cs>::member> && ...),
                "optimist: the action does not accept an attribute being set; add it to the "
                "action's accept list");
  static_assert(((detail::occurrences<std::remove_cvref_t<Cs>::member,
                                      std::remove_cvref_t<Cs>::member...>() == 1) &&
                 ...),
                "optimist: the same attribute is set more than once in one call");
  check_accept_list<Action>();
}

template <Defined T>
template <class Action>
constexpr void Resource<T>::check_accept_list() {
  []<class... Ms>(std::tuple<Ms...>*) {
    static_assert((std::is_same_v<detail::owner_t<Ms::value>, T> && ...),
                  "optimist: an action accepts a member of another struct than its resource's");
    static_assert(((S::template column<Ms::value> < S::size) && ...),
                  "optimist: an action accepts a member that is not a declared attribute");
    static_assert(
        ((S::template column<Ms::value> != S::key && S::template column<Ms::value> != S::version) &&
         ...),
        "optimist: an action may not accept the primary key or the version");
  }(static_cast<typename Action::accepted*>(nullptr));
}

template <Defined T>
template <class Action, class... Cs>
inline Result<T> Resource<T>::created(Cs&&... changes) const {
  check_changes<Action, Cs...>();
  T record{};
  ((record.*(std::remove_cvref_t<Cs>::member) = std::forward<Cs>(changes).value), ...);
  std::vector<FieldError> errors;
  S::check_record(record, errors, [](std::size_t) { return false; });
  if (!errors.empty()) return detail::refused(*table_, Action::name, std::move(errors));
  return record;
}

template <Defined T>
template <class Action, class... Cs>
inline Result<void> Resource<T>::check_update(const T& record, const Cs&... changes) const {
  check_changes<Action, Cs...>();
  OPTIMIST_TRYV(check_version(record, Action::name));
  std::vector<FieldError> errors;
  (detail::check_value(S::template attribute<std::remove_cvref_t<Cs>::member>(), changes.value,
                       errors),
   ...);
  if (!errors.empty()) return detail::refused(*table_, Action::name, std::move(errors));
  return ok();
}

template <Defined T>
template <class Action, class... Ds>
inline Result<void> Resource<T>::check_deltas(std::int64_t key, const Ds&... deltas) const {
  std::vector<FieldError> errors;
  ((deltas.in_range ? void()
                    : errors.push_back({table_->columns[S::template column<Ds::member>].name,
                                        FieldReason::out_of_range})),
   ...);
  if (errors.empty()) return ok();
  Error e = detail::invalid_error(*table_, Action::name, std::move(errors));
  e.key = key;
  return e;
}

// A test inline, the error out of line: the path that succeeds builds no Error.
template <Defined T>
inline Result<void> Resource<T>::check_version(const T& record, std::string_view action) const {
  if (record.*(S::version_member) < 1) return detail::invalid_version(*table_, action);
  return ok();
}

template <Defined T>
template <class Action, class... Ds>
inline Result<T> Resource<T>::apply_deltas(std::int64_t key, std::optional<std::int64_t> expected,
                                           const Ds&... deltas) const {
  static_assert(!std::is_void_v<Action>, "optimist: the resource defines no update action");
  static_assert(Action::kind == ActionKind::update,
                "optimist: atomic changes need an Update action");
  static_assert(sizeof...(Ds) > 0, "optimist: an atomic change needs at least one delta");
  static_assert((detail::IsDelta<Ds>::value && ...),
                "optimist: pass atomic changes as optimist::increment<&T::member>(n) or "
                "decrement<&T::member>(n)");
  static_assert((std::is_same_v<detail::owner_t<Ds::member>, T> && ...),
                "optimist: an atomic change names a member of another struct than this "
                "resource's");
  static_assert((Action::template accepts<Ds::member> && ...),
                "optimist: the action does not accept an attribute being changed atomically; "
                "add it to the update action's accept list");
  static_assert(((detail::occurrences<Ds::member, Ds::member...>() == 1) && ...),
                "optimist: the same attribute is changed more than once in one call");
  OPTIMIST_TRYV(check_deltas<Action>(key, deltas...));
  const std::array<Increment, sizeof...(Ds)> increments{
      Increment{S::template column<Ds::member>, Value{deltas.amount}}...};
  OPTIMIST_TRY(row, data_->increment(*table_, Action::name, key, increments, expected));
  return S::from_row(*table_, std::move(row));
}

template <Defined T>
inline Result<T> Resource<T>::input_record(std::string_view action,
                                           std::span<const bool, S::size> accepted,
                                           const Input& input) const {
  std::vector<FieldError> errors;
  T record{};
  const auto resolved = S::apply_input(*table_, accepted, input, record, errors);
  S::check_record(record, errors, [&](std::size_t c) { return resolved.named[c]; });
  if (!errors.empty()) return detail::invalid_error(*table_, action, std::move(errors));
  return record;
}

template <Defined T>
inline Result<T> Resource<T>::create_input(std::string_view action,
                                           std::span<const bool, S::size> accepted,
                                           const Input& input) const {
  OPTIMIST_TRY(record, input_record(action, accepted, input));
  OPTIMIST_TRY(key, data_->insert(*table_, action, S::to_row(record)));
  record.*(S::key_member) = key;
  return std::move(record);
}

template <Defined T>
struct Resource<T>::InputUpdate {
  T updated;
  std::vector<Assignment> assignments;
};

template <Defined T>
inline auto Resource<T>::input_update(std::string_view action,
                                      std::span<const bool, S::size> accepted, const T& record,
                                      const Input& input) const -> Result<InputUpdate> {
  OPTIMIST_TRYV(check_version(record, action));
  std::vector<FieldError> errors;
  InputUpdate planned{record, {}};
  const auto resolved = S::apply_input(*table_, accepted, input, planned.updated, errors);
  if (!errors.empty()) return detail::invalid_error(*table_, action, std::move(errors));
  for (const std::size_t c : resolved.columns) {
    if (c == detail::no_column) continue;
    if (auto value = S::changed(c, record, planned.updated))
      planned.assignments.push_back({c, std::move(*value)});
  }
  return planned;
}

}  // namespace optimist
