// SPDX-License-Identifier: MIT
#pragma once

#include <any>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "optimist/input.hpp"
#include "optimist/resource.hpp"
#include "optimist/result.hpp"
#include "optimist/store.hpp"

namespace optimist {

/// What a step of a Unit does.
enum class StepKind {
  check,    ///< a callable run before the transaction opens (validations, lookups)
  create,   ///< Resource<T>::create
  update,   ///< Resource<T>::update (locked on the record's version)
  destroy,  ///< Resource<T>::destroy (locked on the record's version)
  change,   ///< Resource<T>::change or change_locked (atomic, in place)
  custom,   ///< a callable run inside the transaction
  merge,    ///< a callable that returns a Unit whose steps run in its place
};

/// "check", "create", "update", "destroy", "change", "custom" or "merge".
[[nodiscard]] std::string_view to_string(StepKind kind) noexcept;

/// One step as Unit::steps() lists it, without running anything.
struct StepInfo {
  std::string name;
  StepKind kind = StepKind::custom;
  /// The resource name for create/update/destroy/change, and for a custom or merge step
  /// that lists exactly one resource; else empty.
  std::string resource;

  friend bool operator==(const StepInfo&, const StepInfo&) = default;
};

/// The kind's name, e.g. `merge`.
std::ostream& operator<<(std::ostream& os, StepKind kind);
/// `{name, kind, resource}`, e.g. `{debit, update, Account}`.
std::ostream& operator<<(std::ostream& os, const StepInfo& step);

/// The results of a unit's steps, by step name, in the order they ran. A create, update,
/// change or destroy step's result is its record (T); a check or custom step's result is
/// the value its Result held (std::monostate for Result<void>). Not thread-safe to modify;
/// safe to read from many threads.
///
/// In a UnitError, `completed` never holds a copy that was rolled back: each record a step
/// inside the transaction returned (a create, update, change or destroy step's, or a custom
/// step's result that is a record of a defined resource) is read again after the rollback
/// and holds what the store holds; a created record, which never existed, has no entry, nor
/// has one that could not be read again. Other values are kept as the steps returned them.
class UnitResults {
 public:
  /// The result of step `name` if it ran and holds a V; nullptr otherwise.
  template <class V>
  [[nodiscard]] const V* find(std::string_view name) const {
    const std::any* a = lookup(name);
    return a ? std::any_cast<V>(a) : nullptr;
  }

  /// The result of step `name`. Throws optimist::Exception with kind invalid (`fields`
  /// {name, unknown_attribute} when no such step ran, {name, wrong_type} when its result is
  /// not a V). Inside a step, that exception fails the step like an error would.
  template <class V>
  [[nodiscard]] const V& get(std::string_view name) const {
    const std::any* a = lookup(name);
    if (a == nullptr) missing(name, false);
    const V* v = std::any_cast<V>(a);
    if (v == nullptr) missing(name, true);
    return *v;
  }

  /// True when step `name` ran and has a result here.
  [[nodiscard]] bool contains(std::string_view name) const { return lookup(name) != nullptr; }
  /// The names of the steps with results, in the order they ran.
  [[nodiscard]] std::vector<std::string> names() const;
  /// How many steps have results.
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  friend class Unit;
  // Replaces a rolled-back record in `value` with the one `store` holds now; false when the
  // store has none (or cannot tell).
  using Reread = bool (*)(Store& store, std::any& value);
  struct Entry {
    std::string name;
    std::any value;
    Reread reread = nullptr;  // null: the value is kept after a rollback
  };
  const std::any* lookup(std::string_view name) const;
  [[noreturn]] static void missing(std::string_view name, bool wrong_type);
  // After the unit's transaction rolled back: reads every rolled-back record again.
  void reread(Store& store);

  std::vector<Entry> entries_;
};

/// Why a unit failed: the Error of the failing step (its kind, resource, action, detail
/// as usual; stale_record is an ordinary failure), the step's name, and the results of the
/// steps that ran before it. Their writes were rolled back, and `completed` holds their
/// records as the store holds them after the rollback (see UnitResults): no copy in it
/// carries a version or key that never committed. `step` is empty when the transaction
/// itself could not begin or commit.
struct UnitError : Error {
  std::string step;
  UnitResults completed;
};

namespace detail {
template <class Default, class Action>
using action_or = std::conditional_t<std::is_void_v<Action>, Default, Action>;

template <class R>
struct IsResult : std::false_type {};
template <class V>
struct IsResult<Result<V>> : std::true_type {};
}  // namespace detail

/// What Unit::run returns: every step's results, or a UnitError. Since UnitError is an
/// Error, OPTIMIST_TRY propagates it into any Result<T>, and `.value()` throws
/// optimist::Exception.
using UnitResult = detail::ResultBase<UnitResults, UnitError>;

/// What a check or custom step sees: the results of the steps before it and the data layer
/// it runs on (the unit's transaction; the store itself for check steps).
class StepContext {
 public:
  /// The results of the steps that ran before this one.
  [[nodiscard]] const UnitResults& results() const noexcept { return results_; }
  /// Shorthand for results().get<V>(name).
  template <class V>
  [[nodiscard]] const V& get(std::string_view name) const {
    return results_.get<V>(name);
  }
  /// The data layer of this step: the unit's transaction, or the store for check steps.
  [[nodiscard]] DataLayer& data() const noexcept { return data_; }
  /// The store the unit runs on. Inside the transaction, use data() or resource<T>()
  /// instead: the store may refuse calls from this thread (see Transaction).
  [[nodiscard]] const std::shared_ptr<Store>& store() const noexcept { return store_; }
  /// True inside the unit's transaction; false in check steps.
  [[nodiscard]] bool in_transaction() const noexcept { return in_transaction_; }

  /// Resource<T> bound to data(). Errors: invalid_definition, unavailable, internal.
  template <Defined T>
  [[nodiscard]] Result<Resource<T>> resource() const {
    if (!in_transaction_) return Resource<T>::open(store_);
    const auto& table = detail::Schema<T>::table();
    if (!table) return table.error();
    return Resource<T>(store_, &table.value()).in(data_);
  }

 private:
  friend class Unit;
  StepContext(std::shared_ptr<Store> store, DataLayer& data, const UnitResults& results,
              bool in_transaction)
      : store_(std::move(store)), data_(data), results_(results), in_transaction_(in_transaction) {}

  std::shared_ptr<Store> store_;
  DataLayer& data_;
  const UnitResults& results_;
  bool in_transaction_;
};

/// A unit of work: named steps, built as a value and run all or nothing, as Ecto.Multi.
///
///     auto unit = optimist::Unit{}
///         .update("debit", from, set<&Account::balance>(from.balance - 100))
///         .update("credit", to, set<&Account::balance>(to.balance + 100))
///         .create<Transfer>("record", set<&Transfer::from_account>(from.id), ...);
///     auto r = unit.run(store);   // r.value().get<Transfer>("record")
///
/// run() first validates every write step whose input is known when the unit is built
/// (not those built from a function of earlier results), so that an invalid unit runs no
/// step and opens no transaction; then runs the check steps, in order, on the store (no
/// transaction is open yet), then opens a transaction, runs every other step in order, and
/// commits. A unit of check steps alone, or of none, opens no transaction. The first step
/// that fails stops the unit: everything is rolled back and run() returns a UnitError with
/// that step's name, its Error, and the results of the steps before it. A step built from a
/// function (`update<T>(name, fn)`, `custom`, `merge`, ...) calls it when the step runs,
/// with the results of the earlier steps, so later steps can use earlier results.
///
/// Step names must be unique and non-empty: a unit that repeats one is invalid from the
/// moment it is built (validate() says why) and run() refuses it before touching the store.
/// Step functions that throw optimist::Exception (e.g. from `.value()` or results().get)
/// fail their step with that Error; other exceptions propagate after the rollback.
///
/// Thread safety: a Unit is a value; run() is const and may be called from many threads at
/// once, each running its own transaction. Events of a unit are delivered after its commit.
class Unit {
 public:
  /// Creates a record from `changes` (set<&T::m>(v)), through Action (default: T's create).
  template <Defined T, class Action = void, class... Cs>
  requires(detail::IsChange<std::remove_cvref_t<Cs>>::value&&...) Unit& create(std::string name,
                                                                               Cs&&... changes) {
    using A = detail::action_or<typename Resource<T>::CreateAction, Action>;
    auto cs = std::make_tuple(std::forward<Cs>(changes)...);
    return add_resource_step<T>(
        std::move(name), StepKind::create,
        [cs](const Resource<T>& r, const UnitResults&) {
          return std::apply([&](const auto&... c) { return r.template create<A>(c...); }, cs);
        },
        [cs](const Resource<T>& r) {
          return std::apply([&](const auto&... c) { return r.template created<A>(c...); }, cs);
        });
  }
  /// Creates a record from the changes `fn(results)` returns as a std::tuple of set<>s.
  template <Defined T, class Action = void, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& create(std::string name, F fn) {
    using A = detail::action_or<typename Resource<T>::CreateAction, Action>;
    return add_resource_step<T>(
        std::move(name), StepKind::create,
        [fn = std::move(fn)](const Resource<T>& r, const UnitResults& rs) {
          return std::apply([&](auto&&... c) { return r.template create<A>(c...); }, fn(rs));
        });
  }

  /// Updates `record` with `changes`, locked on its version (Resource<T>::update).
  template <class Action = void, Defined T, class... Cs>
  requires(detail::IsChange<std::remove_cvref_t<Cs>>::value&&...) Unit& update(std::string name,
                                                                               const T& record,
                                                                               Cs&&... changes) {
    using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
    auto cs = std::make_tuple(std::forward<Cs>(changes)...);
    return add_resource_step<T>(
        std::move(name), StepKind::update,
        [record, cs](const Resource<T>& r, const UnitResults&) {
          return std::apply([&](const auto&... c) { return r.template update<A>(record, c...); },
                            cs);
        },
        [record, cs](const Resource<T>& r) {
          return std::apply(
              [&](const auto&... c) { return r.template check_update<A>(record, c...); }, cs);
        });
  }
  /// Updates the record `fn(results)` returns first in a std::tuple, with the set<>s after
  /// it: `return std::tuple{results.get<Account>("open"), set<&Account::balance>(0)};`.
  template <Defined T, class Action = void, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& update(std::string name, F fn) {
    using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
    return add_resource_step<T>(
        std::move(name), StepKind::update,
        [fn = std::move(fn)](const Resource<T>& r, const UnitResults& rs) {
          return std::apply(
              [&](const T& record, auto&&... c) { return r.template update<A>(record, c...); },
              fn(rs));
        });
  }

  /// Creates a record from dynamic input (Resource<T>::create_from), through Action.
  template <Defined T, class Action = void>
  Unit& create_from(std::string name, Input input) {
    using A = detail::action_or<typename Resource<T>::CreateAction, Action>;
    return add_resource_step<T>(
        std::move(name), StepKind::create,
        [input](const Resource<T>& r, const UnitResults&) {
          return r.template create_from<A>(input);
        },
        [input](const Resource<T>& r) {
          static constexpr auto accepted = detail::Schema<T>::template accepted_columns<A>();
          return r.input_record(A::name, accepted, input);
        });
  }
  /// Updates `record` from dynamic input, locked on its version (Resource<T>::update_from).
  template <class Action = void, Defined T>
  Unit& update_from(std::string name, const T& record, Input input) {
    using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
    return add_resource_step<T>(
        std::move(name), StepKind::update,
        [record, input](const Resource<T>& r, const UnitResults&) {
          return r.template update_from<A>(record, input);
        },
        [record, input](const Resource<T>& r) {
          static constexpr auto accepted = detail::Schema<T>::template accepted_columns<A>();
          return r.input_update(A::name, accepted, record, input);
        });
  }

  /// Destroys `record`, locked on its version. The step's result is `record`.
  template <class Action = void, Defined T>
  Unit& destroy(std::string name, const T& record) {
    destroy<T, Action>(std::move(name), [record](const UnitResults&) { return record; });
    steps_.back().precheck = prechecked<T>([record](const Resource<T>& r) {
      return r.check_version(record,
                             detail::action_or<typename Resource<T>::DestroyAction, Action>::name);
    });
    return *this;
  }
  /// Destroys the record `fn(results)` returns, locked on its version.
  template <Defined T, class Action = void, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& destroy(std::string name, F fn) {
    using A = detail::action_or<typename Resource<T>::DestroyAction, Action>;
    return add_resource_step<T>(
        std::move(name), StepKind::destroy,
        [fn = std::move(fn)](const Resource<T>& r, const UnitResults& rs) -> Result<T> {
          T record = fn(rs);
          OPTIMIST_TRYV(r.template destroy<A>(record));
          return record;
        });
  }

  /// Atomic change of the record with primary key `key` (Resource<T>::change): never stale.
  template <Defined T, class Action = void, class... Ds>
  requires(detail::IsDelta<Ds>::value&&...) Unit& change(std::string name, std::int64_t key,
                                                         const Ds&... deltas) {
    using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
    return add_resource_step<T>(
        std::move(name), StepKind::change,
        [key, deltas...](const Resource<T>& r, const UnitResults&) {
          return r.template change<A>(key, deltas...);
        },
        [key, deltas...](const Resource<T>& r) {
          return r.template check_deltas<A>(key, deltas...);
        });
  }
  /// Atomic change of `record`'s stored record, checked against its version in the same
  /// data-layer step (Resource<T>::change_locked).
  template <class Action = void, Defined T, class... Ds>
  requires(detail::IsDelta<Ds>::value&&...) Unit& change_locked(std::string name, const T& record,
                                                                const Ds&... deltas) {
    using A = detail::action_or<typename Resource<T>::UpdateAction, Action>;
    return add_resource_step<T>(
        std::move(name), StepKind::change,
        [record, deltas...](const Resource<T>& r, const UnitResults&) {
          return r.template change_locked<A>(record, deltas...);
        },
        [record, deltas...](const Resource<T>& r) -> Result<void> {
          OPTIMIST_TRYV(r.check_version(record, A::name));
          return r.template check_deltas<A>(record.*(detail::Schema<T>::key_member), deltas...);
        });
  }

  /// A step inside the transaction: `fn(StepContext&)` returns a Result<V>; V (or
  /// std::monostate for void) becomes the step's result. Use ctx.resource<T>() or
  /// ctx.data() for data access: both are bound to the transaction. List the resources
  /// the step uses, `custom<Transfer>("audit", fn)`, so that run() prepares their tables
  /// before the transaction opens (a store may refuse schema work inside one).
  template <Defined... Ts, class F>
  requires std::invocable<F&, StepContext&> Unit& custom(std::string name, F fn) {
    return add_callable<Ts...>(std::move(name), StepKind::custom, std::move(fn));
  }

  /// A step run before the transaction opens, whatever its position, in the order checks
  /// were added: validations and lookups (ctx.data() and ctx.resource<T>() use the store),
  /// so that their failures end the unit before anything is written, as one UnitError.
  /// Later steps see its result like any other.
  template <class F>
  requires std::invocable<F&, StepContext&> Unit& check(std::string name, F fn) {
    return add_callable(std::move(name), StepKind::check, std::move(fn));
  }

  /// A step that calls `fn(results)` inside the transaction and runs the steps of the Unit
  /// it returns in its place (their check steps too, in place). Their names must not repeat
  /// names that already have results. List the resources the returned steps use,
  /// `merge<Player>("bonus", fn)`, so that run() prepares their tables before the
  /// transaction. The merge step has no result of its own.
  template <Defined... Ts, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& merge(std::string name, F fn) {
    Step s{std::move(name),
           StepKind::merge,
           resource_of<Ts...>(),
           {&detail::Schema<Ts>::table...},
           {},
           {},
           {}};
    s.expand = [fn = std::move(fn)](const UnitResults& rs) -> Unit { return fn(rs); };
    return add(std::move(s));
  }

  /// Adds the steps of `other` after this unit's steps.
  Unit& append(const Unit& other);
  /// Adds the steps of `other` before this unit's steps.
  Unit& prepend(const Unit& other);

  /// The steps, in order (checks where they were added), without running anything.
  [[nodiscard]] std::vector<StepInfo> steps() const;

  /// Success when the unit is well formed. Errors: invalid, with `fields` {step name,
  /// duplicate_name} for a repeated name or {"", required} for an empty one.
  [[nodiscard]] Result<void> validate() const;

  /// Runs the unit on `store`, all or nothing (see the class comment). Errors (in the
  /// UnitError): invalid (a malformed unit, or a step's input refused before anything ran;
  /// step named, nothing runs), whatever a failing
  /// step returns (stale_record, not_found, conflict, invalid, an application's kind...),
  /// and unavailable, conflict or internal from begin or commit (step empty).
  [[nodiscard]] UnitResult run(const std::shared_ptr<Store>& store) const;

 private:
  using Run = std::function<Result<void>(StepContext&, std::any&)>;
  struct Step {
    std::string name;
    StepKind kind;
    std::string resource;
    std::vector<const Result<Table>& (*)()> tables;  // the tables to prepare before begin()
    Run run;
    std::function<Unit(const UnitResults&)> expand;  // merge steps
    // The validation of a step whose input is known when the unit is built, run before
    // anything else; empty for steps built from earlier results.
    std::function<Result<void>(const std::shared_ptr<Store>&)> precheck;
    UnitResults::Reread reread = nullptr;  // for steps whose result is a record
  };

  // UnitResults::Reread for a result that is a record of T.
  template <Defined T>
  static bool reread_record(Store& store, std::any& value) {
    T* record = std::any_cast<T>(&value);
    const auto& table = detail::Schema<T>::table();
    if (record == nullptr || !table) return false;
    auto row = store.get(table.value(), "reread", record->*(detail::Schema<T>::key_member));
    if (!row) return false;
    auto stored = detail::Schema<T>::from_row(table.value(), std::move(row).value());
    if (!stored) return false;
    *record = std::move(stored).value();
    return true;
  }

  // A precheck from `fn(resource)`, on a Resource<T> of the unit's store.
  template <Defined T, class F>
  static auto prechecked(F fn) {
    return [fn = std::move(fn)](const std::shared_ptr<Store>& store) -> Result<void> {
      const auto& table = detail::Schema<T>::table();
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
  Unit& add_resource_step(std::string name, StepKind kind, F fn, C check = nullptr) {
    Step s{std::move(name),
           kind,
           std::string(Definition<T>::resource.name),
           {&detail::Schema<T>::table},
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
    return add(std::move(s));
  }

  template <class... Ts, class F>
  Unit& add_callable(std::string name, StepKind kind, F fn) {
    using R = std::remove_cvref_t<std::invoke_result_t<F&, StepContext&>>;
    static_assert(detail::IsResult<R>::value,
                  "optimist: a check or custom step must return an optimist::Result");
    static_assert(std::is_void_v<typename R::value_type> ||
                      std::is_copy_constructible_v<typename R::value_type>,
                  "optimist: a step's result must be copyable");
    Step s{
        std::move(name), kind, resource_of<Ts...>(), {&detail::Schema<Ts>::table...}, {}, {}, {}};
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
    return add(std::move(s));
  }

  Unit& add(Step step);
  Result<void> run_steps(const std::vector<Step>& steps, bool skip_checks,
                         const std::shared_ptr<Store>& store, DataLayer& data, UnitResults& results,
                         std::string& failed) const;

  std::vector<Step> steps_;
  std::optional<UnitError> error_;  // the first reason this unit is malformed
};

}  // namespace optimist
