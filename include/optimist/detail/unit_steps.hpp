// SPDX-License-Identifier: MIT
// How a Unit holds and runs its steps, and the bodies of Unit's builders. Included at the
// end of optimist/unit.hpp, whose declarations are the contract; nothing here is API. The
// builders' definitions are inline, as they were inside the class.
#pragma once

#include <any>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "optimist/unit.hpp"

namespace optimist {
namespace detail {

/// Action, or Default when Action is void: a builder's action when none is named.
template <class Default, class Action>
using action_or = std::conditional_t<std::is_void_v<Action>, Default, Action>;

template <class R>
struct IsResult : std::false_type {};
template <class V>
struct IsResult<Result<V>> : std::true_type {};

/// One step as a Unit holds it.
struct UnitStep {
  std::string name;
  StepKind kind;
  std::string resource;
  std::vector<const Result<Table>& (*)()> tables;  // the tables to prepare before begin()
  // Runs the step, putting its result in the std::any.
  std::function<Result<void>(StepContext&, std::any&)> run;
  std::function<Unit(const UnitResults&)> expand;  // merge steps
  // The validation of a step whose input is known when the unit is built, run before
  // anything else; empty for steps built from earlier results.
  std::function<Result<void>(const std::shared_ptr<Store>&)> precheck;
  Reread reread = nullptr;  // for steps whose result is a record
};

/// What Unit's builders share. A struct rather than free functions so that Resource<T> can
/// let it build the Resource a precheck runs on.
struct UnitSteps {
  // The Reread for a result that is a record of T.
  template <Defined T>
  static bool reread_record(Store& store, std::any& value) {
    T* record = std::any_cast<T>(&value);
    const auto& table = Schema<T>::table();
    if (record == nullptr || !table) return false;
    auto row = store.get(table.value(), "reread", record->*(Schema<T>::key_member));
    if (!row) return false;
    auto stored = Schema<T>::from_row(table.value(), std::move(row).value());
    if (!stored) return false;
    *record = std::move(stored).value();
    return true;
  }

  // A precheck from `fn(resource)`, on a Resource<T> of the unit's store.
  template <Defined T, class F>
  static auto prechecked(F fn) {
    return [fn = std::move(fn)](const std::shared_ptr<Store>& store) -> Result<void> {
      const auto& table = Schema<T>::table();
      if (!table) return table.error();
      OPTIMIST_TRYV(fn(Resource<T>(store, &table.value())));
      return ok();
    };
  }

  // The resource a step lists in steps(): the one it names, or none when it names several.
  template <class... Ts>
  static std::string resource_of() {
    if constexpr (sizeof...(Ts) == 1) {
      return std::string((Definition<Ts>::resource.name, ...));
    } else {
      return {};
    }
  }

  // A step on resource T: `fn(resource, results)` runs it; `check(resource)`, when given,
  // validates its input before the transaction opens.
  template <Defined T, class F, class C = std::nullptr_t>
  static UnitStep resource_step(std::string name, StepKind kind, F fn, C check = nullptr) {
    UnitStep s{std::move(name),
               kind,
               std::string(Definition<T>::resource.name),
               {&Schema<T>::table},
               {},
               {},
               {}};
    if constexpr (!std::is_null_pointer_v<C>) s.precheck = prechecked<T>(std::move(check));
    s.reread = &reread_record<T>;
    s.run = [fn = std::move(fn)](StepContext& ctx, std::any& out) -> Result<void> {
      OPTIMIST_TRY(resource, ctx.resource<T>());
      OPTIMIST_TRY(record, fn(resource, ctx.results()));
      out = std::move(record);
      return ok();
    };
    return s;
  }

  // A query step on resource T: `read(resource, query)` runs the query `fn(results)` returns.
  // Its result is dropped after a rollback: it may hold rolled-back writes.
  template <Defined T, class F, class Read>
  static UnitStep query_step(std::string name, F fn, Read read) {
    UnitStep s{std::move(name),
               StepKind::query,
               std::string(Definition<T>::resource.name),
               {&Schema<T>::table},
               {},
               {},
               {}};
    s.reread = [](Store&, std::any&) { return false; };
    s.run = [fn = std::move(fn), read](StepContext& ctx, std::any& out) -> Result<void> {
      OPTIMIST_TRY(resource, ctx.resource<T>());
      const Query<T> query = fn(ctx.results());
      OPTIMIST_TRY(found, read(resource, query));
      out = std::move(found);
      return ok();
    };
    return s;
  }

  // A check or custom step: `fn(ctx)` returns a Result whose value becomes the step's result.
  template <class... Ts, class F>
  static UnitStep callable_step(std::string name, StepKind kind, F fn) {
    using R = std::remove_cvref_t<std::invoke_result_t<F&, StepContext&>>;
    static_assert(IsResult<R>::value,
                  "optimist: a check or custom step must return an optimist::Result");
    static_assert(std::is_void_v<typename R::value_type> ||
                      std::is_copy_constructible_v<typename R::value_type>,
                  "optimist: a step's result must be copyable");
    UnitStep s{std::move(name), kind, resource_of<Ts...>(), {&Schema<Ts>::table...}, {}, {}, {}};
    if constexpr (!std::is_void_v<typename R::value_type>) {
      if constexpr (Defined<typename R::value_type>) {
        s.reread = &reread_record<typename R::value_type>;
      }
    }
    s.run = [fn = std::move(fn)](StepContext& ctx, std::any& out) mutable -> Result<void> {
      auto r = fn(ctx);
      if (!r) return std::move(r).error();
      if constexpr (std::is_void_v<typename R::value_type>) {
        out = std::monostate{};
      } else {
        out = std::move(r).value();
      }
      return ok();
    };
    return s;
  }
};

}  // namespace detail

template <Defined T>
inline Result<Resource<T>> StepContext::resource() const {
  if (!in_transaction_) return Resource<T>::open(store_);
  const auto& table = detail::Schema<T>::table();
  if (!table) return table.error();
  return Resource<T>(store_, &table.value()).in(data_);
}

template <Defined T, class Action, class... Cs>
requires(detail::IsChange<std::remove_cvref_t<Cs>>::value&&...) inline Unit& Unit::create(
    std::string name, Cs&&... changes) {
  using A = detail::action_or<typename Resource<T>::CreateAction, Action>;
  auto cs = std::make_tuple(std::forward<Cs>(changes)...);
  return add(detail::UnitSteps::resource_step<T>(
      std::move(name), StepKind::create,
      [cs](const Resource<T>& r, const UnitResults&) {
        return std::apply([&](const auto&... c) { return r.template create<A>(c...); }, cs);
      },
      [cs](const Resource<T>& r) {
        return std::apply([&](const auto&... c) { return r.template created<A>(c...); }, cs);
      }));
}

template <Defined T, class Action, class F>
requires std::invocable<const F&, const UnitResults&>
inline Unit& Unit::create(std::string name, F fn) {
  using A = detail::action_or<typename Resource<T>::CreateAction, Action>;
  return add(detail::UnitSteps::resource_step<T>(
      std::move(name), StepKind::create,
      [fn = std::move(fn)](const Resource<T>& r, const UnitResults& rs) {
        return std::apply([&](auto&&... c) { return r.template create<A>(c...); }, fn(rs));
      }));
}

template <Defined T, class Action, class... Cs>
requires(detail::IsChange<std::remove_cvref_t<Cs>>::value&&...) inline Unit& Unit::update(
    std::string name, const T& record, Cs&&... changes) {
  using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
  auto cs = std::make_tuple(std::forward<Cs>(changes)...);
  return add(detail::UnitSteps::resource_step<T>(
      std::move(name), StepKind::update,
      [record, cs](const Resource<T>& r, const UnitResults&) {
        return std::apply([&](const auto&... c) { return r.template update<A>(record, c...); }, cs);
      },
      [record, cs](const Resource<T>& r) {
        return std::apply(
            [&](const auto&... c) { return r.template check_update<A>(record, c...); }, cs);
      }));
}

template <Defined T, class Action, class F>
requires std::invocable<const F&, const UnitResults&>
inline Unit& Unit::update(std::string name, F fn) {
  using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
  return add(detail::UnitSteps::resource_step<T>(
      std::move(name), StepKind::update,
      [fn = std::move(fn)](const Resource<T>& r, const UnitResults& rs) {
        return std::apply(
            [&](const T& record, auto&&... c) { return r.template update<A>(record, c...); },
            fn(rs));
      }));
}

template <Defined T, class Action>
inline Unit& Unit::create_from(std::string name, Input input) {
  using A = detail::action_or<typename Resource<T>::CreateAction, Action>;
  return add(detail::UnitSteps::resource_step<T>(
      std::move(name), StepKind::create,
      [input](const Resource<T>& r, const UnitResults&) {
        return r.template create_from<A>(input);
      },
      [input](const Resource<T>& r) {
        static constexpr auto accepted = detail::Schema<T>::template accepted_columns<A>();
        return r.input_record(A::name, accepted, input);
      }));
}

template <Defined T, class Action>
inline Unit& Unit::update_from(std::string name, const T& record, Input input) {
  using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
  return add(detail::UnitSteps::resource_step<T>(
      std::move(name), StepKind::update,
      [record, input](const Resource<T>& r, const UnitResults&) {
        return r.template update_from<A>(record, input);
      },
      [record, input](const Resource<T>& r) {
        static constexpr auto accepted = detail::Schema<T>::template accepted_columns<A>();
        return r.input_update(A::name, accepted, record, input);
      }));
}

template <Defined T, class Action>
inline Unit& Unit::destroy(std::string name, const T& record) {
  destroy<T, Action>(std::move(name), [record](const UnitResults&) { return record; });
  steps_.back().precheck = detail::UnitSteps::prechecked<T>([record](const Resource<T>& r) {
    return r.check_version(record,
                           detail::action_or<typename Resource<T>::DestroyAction, Action>::name);
  });
  return *this;
}

template <Defined T, class Action, class F>
requires std::invocable<const F&, const UnitResults&>
inline Unit& Unit::destroy(std::string name, F fn) {
  using A = detail::action_or<typename Resource<T>::DestroyAction, Action>;
  return add(detail::UnitSteps::resource_step<T>(
      std::move(name), StepKind::destroy,
      [fn = std::move(fn)](const Resource<T>& r, const UnitResults& rs) -> Result<T> {
        T record = fn(rs);
        OPTIMIST_TRYV(r.template destroy<A>(record));
        return record;
      }));
}

template <Defined T, class Action, class... Ds>
requires(detail::IsDelta<Ds>::value&&...) inline Unit& Unit::change(std::string name,
                                                                    std::int64_t key,
                                                                    const Ds&... deltas) {
  using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
  return add(detail::UnitSteps::resource_step<T>(
      std::move(name), StepKind::change,
      [key, deltas...](const Resource<T>& r, const UnitResults&) {
        return r.template change<A>(key, deltas...);
      },
      [key, deltas...](const Resource<T>& r) {
        return r.template check_deltas<A>(key, deltas...);
      }));
}

template <Defined T, class Action, class... Ds>
requires(detail::IsDelta<Ds>::value&&...) inline Unit& Unit::change_locked(std::string name,
                                                                           const T& record,
                                                                           const Ds&... deltas) {
  using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
  return add(detail::UnitSteps::resource_step<T>(
      std::move(name), StepKind::change,
      [record, deltas...](const Resource<T>& r, const UnitResults&) {
        return r.template change_locked<A>(record, deltas...);
      },
      [record, deltas...](const Resource<T>& r) -> Result<void> {
        OPTIMIST_TRYV(r.check_version(record, A::name));
        return r.template check_deltas<A>(record.*(detail::Schema<T>::key_member), deltas...);
      }));
}

template <Defined T, class Action>
inline Unit& Unit::all(std::string name, Query<T> query) {
  return all<T, Action>(std::move(name),
                        [query = std::move(query)](const UnitResults&) { return query; });
}

template <Defined T, class Action, class F>
requires std::invocable<const F&, const UnitResults&>
inline Unit& Unit::all(std::string name, F fn) {
  using A = detail::action_or<typename Resource<T>::ReadAction, Action>;
  return add(detail::UnitSteps::query_step<T>(
      std::move(name), std::move(fn),
      [](const Resource<T>& r, const Query<T>& q) { return r.template all<A>(q); }));
}

template <Defined T, class Action>
inline Unit& Unit::one(std::string name, Query<T> query) {
  return one<T, Action>(std::move(name),
                        [query = std::move(query)](const UnitResults&) { return query; });
}

template <Defined T, class Action, class F>
requires std::invocable<const F&, const UnitResults&>
inline Unit& Unit::one(std::string name, F fn) {
  using A = detail::action_or<typename Resource<T>::ReadAction, Action>;
  return add(detail::UnitSteps::query_step<T>(
      std::move(name), std::move(fn),
      [](const Resource<T>& r, const Query<T>& q) { return r.template one<A>(q); }));
}

template <Defined T, class Action>
inline Unit& Unit::exists(std::string name, Query<T> query) {
  return exists<T, Action>(std::move(name),
                           [query = std::move(query)](const UnitResults&) { return query; });
}

template <Defined T, class Action, class F>
requires std::invocable<const F&, const UnitResults&>
inline Unit& Unit::exists(std::string name, F fn) {
  using A = detail::action_or<typename Resource<T>::ReadAction, Action>;
  return add(detail::UnitSteps::query_step<T>(
      std::move(name), std::move(fn),
      [](const Resource<T>& r, const Query<T>& q) { return r.template exists<A>(q); }));
}

template <Defined... Ts, class F>
requires std::invocable<F&, StepContext&>
inline Unit& Unit::custom(std::string name, F fn) {
  return add(
      detail::UnitSteps::callable_step<Ts...>(std::move(name), StepKind::custom, std::move(fn)));
}

template <class F>
requires std::invocable<F&, StepContext&>
inline Unit& Unit::check(std::string name, F fn) {
  return add(detail::UnitSteps::callable_step(std::move(name), StepKind::check, std::move(fn)));
}

template <Defined... Ts, class F>
requires std::invocable<const F&, const UnitResults&>
inline Unit& Unit::merge(std::string name, F fn) {
  detail::UnitStep s{std::move(name),
                     StepKind::merge,
                     detail::UnitSteps::resource_of<Ts...>(),
                     {&detail::Schema<Ts>::table...},
                     {},
                     {},
                     {}};
  s.expand = [fn = std::move(fn)](const UnitResults& rs) -> Unit { return fn(rs); };
  return add(std::move(s));
}

}  // namespace optimist
