// SPDX-License-Identifier: MIT
#pragma once

#include <any>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "optimist/input.hpp"
#include "optimist/resource.hpp"
#include "optimist/result.hpp"
#include "optimist/store.hpp"

namespace optimist {

namespace detail {
struct UnitStep;  // one step as a Unit holds it: optimist/detail/unit_steps.hpp
// Replaces a rolled-back record in `value` with the one `store` holds now; false when the
// store has none (or cannot tell).
using Reread = bool (*)(Store& store, std::any& value);
}  // namespace detail

/// What a step of a Unit does.
enum class StepKind {
  check,    ///< a callable run before the transaction opens (validations, lookups)
  create,   ///< Resource<T>::create
  update,   ///< Resource<T>::update (locked on the record's version)
  destroy,  ///< Resource<T>::destroy (locked on the record's version)
  change,   ///< Resource<T>::change or change_locked (atomic, in place)
  custom,   ///< a callable run inside the transaction
  merge,    ///< a callable that returns a Unit whose steps run in its place
  query,    ///< Resource<T>::all, one or exists, inside the transaction
};

/// "check", "create", "update", "destroy", "change", "custom", "merge" or "query".
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
  struct Entry {
    std::string name;
    std::any value;
    detail::Reread reread = nullptr;  // null: the value is kept after a rollback
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
  [[nodiscard]] Result<Resource<T>> resource() const;

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
/// transaction is open yet), then runs every other step in order in one transaction
/// (Store::transact, so that group commit can batch it with other callers' writes), and
/// commits. A unit of check steps alone, or of none, opens no transaction. The first step
/// that fails stops the unit: everything is rolled back and run() returns a UnitError with
/// that step's name, its Error, and the results of the steps before it. A step built from a
/// function (`update<T>(name, fn)`, `custom`, `merge`, ...) calls it when the step runs,
/// with the results of the earlier steps, so later steps can use earlier results.
///
/// Every builder takes the resource type first and the action second; without an action it
/// uses the default of the Resource<T> call it names (create, update or destroy):
/// `update<Address, Definition<Address>::rename>("move", a, ...)`. Where a record is passed,
/// its type is deduced: `update("move", a, ...)`.
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
                                                                               Cs&&... changes);
  /// Creates a record from the changes `fn(results)` returns as a std::tuple of set<>s.
  template <Defined T, class Action = void, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& create(std::string name, F fn);

  /// Updates `record` with `changes`, locked on its version (Resource<T>::update).
  template <Defined T, class Action = void, class... Cs>
  requires(detail::IsChange<std::remove_cvref_t<Cs>>::value&&...) Unit& update(std::string name,
                                                                               const T& record,
                                                                               Cs&&... changes);
  /// Updates the record `fn(results)` returns first in a std::tuple, with the set<>s after
  /// it: `return std::tuple{results.get<Account>("open"), set<&Account::balance>(0)};`.
  template <Defined T, class Action = void, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& update(std::string name, F fn);

  /// Creates a record from dynamic input (Resource<T>::create_from), through Action.
  template <Defined T, class Action = void>
  Unit& create_from(std::string name, Input input);
  /// Updates `record` from dynamic input, locked on its version (Resource<T>::update_from).
  template <Defined T, class Action = void>
  Unit& update_from(std::string name, const T& record, Input input);

  /// Destroys `record`, locked on its version. The step's result is `record`.
  template <Defined T, class Action = void>
  Unit& destroy(std::string name, const T& record);
  /// Destroys the record `fn(results)` returns, locked on its version.
  template <Defined T, class Action = void, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& destroy(std::string name, F fn);

  /// Atomic change of the record with primary key `key` (Resource<T>::change): never stale.
  template <Defined T, class Action = void, class... Ds>
  requires(detail::IsDelta<Ds>::value&&...) Unit& change(std::string name, std::int64_t key,
                                                         const Ds&... deltas);
  /// Atomic change of `record`'s stored record, checked against its version in the same
  /// data-layer step (Resource<T>::change_locked).
  template <Defined T, class Action = void, class... Ds>
  requires(detail::IsDelta<Ds>::value&&...) Unit& change_locked(std::string name, const T& record,
                                                                const Ds&... deltas);

  /// A query step inside the transaction: the records `query` selects through read action
  /// Action (default: T's read), as Resource<T>::all, a std::vector<T>. It sees the writes of
  /// the steps before it; later steps use its result. Errors: as Resource<T>::all.
  template <Defined T, class Action = void>
  Unit& all(std::string name, Query<T> query);
  /// all() of the query `fn(results)` returns: a query built from earlier results.
  template <Defined T, class Action = void, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& all(std::string name, F fn);
  /// A query step: the one record `query` selects (Resource<T>::one), a T. Errors:
  /// not_found (none), invalid (more than one), as Resource<T>::all.
  template <Defined T, class Action = void>
  Unit& one(std::string name, Query<T> query);
  /// one() of the query `fn(results)` returns.
  template <Defined T, class Action = void, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& one(std::string name, F fn);
  /// A query step: whether `query` selects any record (Resource<T>::exists), a bool.
  template <Defined T, class Action = void>
  Unit& exists(std::string name, Query<T> query);
  /// exists() of the query `fn(results)` returns.
  template <Defined T, class Action = void, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& exists(std::string name, F fn);

  /// A step inside the transaction: `fn(StepContext&)` returns a Result<V>; V (or
  /// std::monostate for void) becomes the step's result. Use ctx.resource<T>() or
  /// ctx.data() for data access: both are bound to the transaction. List the resources
  /// the step uses, `custom<Transfer>("audit", fn)`, so that run() prepares their tables
  /// before the transaction opens (a store may refuse schema work inside one).
  template <Defined... Ts, class F>
  requires std::invocable<F&, StepContext&> Unit& custom(std::string name, F fn);

  /// A step run before the transaction opens, whatever its position, in the order checks
  /// were added: validations and lookups (ctx.data() and ctx.resource<T>() use the store),
  /// so that their failures end the unit before anything is written, as one UnitError.
  /// Later steps see its result like any other.
  template <class F>
  requires std::invocable<F&, StepContext&> Unit& check(std::string name, F fn);

  /// A step that calls `fn(results)` inside the transaction and runs the steps of the Unit
  /// it returns in its place (their check steps too, in place). Their names must not repeat
  /// names that already have results. List the resources the returned steps use,
  /// `merge<Player>("bonus", fn)`, so that run() prepares their tables before the
  /// transaction. The merge step has no result of its own.
  template <Defined... Ts, class F>
  requires std::invocable<const F&, const UnitResults&> Unit& merge(std::string name, F fn);

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
  Unit& add(detail::UnitStep step);
  Result<void> run_steps(const std::vector<detail::UnitStep>& steps, bool skip_checks,
                         const std::shared_ptr<Store>& store, DataLayer& data, UnitResults& results,
                         std::string& failed) const;

  std::vector<detail::UnitStep> steps_;
  std::optional<UnitError> error_;  // the first reason this unit is malformed
};

}  // namespace optimist

// The bodies of the templates above, and the step machinery they share.
#include "optimist/detail/unit_steps.hpp"
