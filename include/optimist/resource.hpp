// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ranges>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "optimist/definition.hpp"
#include "optimist/detail/query_rules.hpp"
#include "optimist/detail/schema.hpp"
#include "optimist/input.hpp"
#include "optimist/query.hpp"
#include "optimist/query_input.hpp"
#include "optimist/related.hpp"
#include "optimist/store.hpp"

namespace optimist {

class StepContext;
class Unit;
namespace detail {
struct UnitSteps;
}  // namespace detail

/// The code interface of resource T on a store: get, create, update and destroy through the
/// actions its Definition declares. Each call returns a Result; the `*_or_throw` forms
/// return the value or throw optimist::Exception with the same Error.
///
/// Cheap to copy; thread-safe when the store is (every Store is). A Resource bound to a
/// transaction with in() belongs to that transaction's thread.
template <Defined T>
class Resource {
  using S = detail::Schema<T>;

 public:
  /// The resource's struct.
  using Record = T;
  /// The actions used when a call names none: the `read`, `create`, `update` and `destroy`
  /// aliases of Definition<T>, or void where it has none (calls needing one do not compile).
  using ReadAction = typename detail::ReadOf<Definition<T>>::type;
  using CreateAction = typename detail::CreateOf<Definition<T>>::type;
  using UpdateAction = typename detail::UpdateOf<Definition<T>>::type;
  using DestroyAction = typename detail::DestroyOf<Definition<T>>::type;

  /// Registers T with `store`: validates the definition and creates the table if missing,
  /// and the unique indexes of its identities (Store::ensure_schema).
  /// Errors: invalid_definition, conflict, unavailable, internal.
  [[nodiscard]] static Result<Resource> open(std::shared_ptr<Store> store) {
    const auto& table = S::table();
    if (!table) return table.error();
    OPTIMIST_TRYV(store->ensure_schema(table.value()));
    return Resource(std::move(store), &table.value());
  }

  /// As open(), throwing optimist::Exception on error.
  explicit Resource(std::shared_ptr<Store> store) : Resource(open(std::move(store)).value()) {}

  /// The same code interface, running its calls inside `transaction` (which must outlive
  /// the returned object and belong to this Resource's store).
  [[nodiscard]] Resource in(DataLayer& transaction) const {
    Resource r = *this;
    r.data_ = &transaction;
    return r;
  }

  /// The record with primary key `key`. Errors: not_found, unavailable, internal.
  template <class Action = ReadAction>
  [[nodiscard]] Result<T> get(std::int64_t key) const {
    static_assert(!std::is_void_v<Action>, "optimist: the resource defines no read action");
    static_assert(Action::kind == ActionKind::read, "optimist: get<> needs a Read action");
    OPTIMIST_TRY(row, data_->get(*table_, Action::name, key));
    return S::from_row(*table_, std::move(row));
  }

  /// As get(); on a Resource bound to a transaction with in(), the record also stays locked
  /// against other writers until the transaction ends (pessimistic locking).
  /// Errors: not_found, unavailable, internal.
  template <class Action = ReadAction>
  [[nodiscard]] Result<T> get_for_update(std::int64_t key) const {
    static_assert(!std::is_void_v<Action>, "optimist: the resource defines no read action");
    static_assert(Action::kind == ActionKind::read, "optimist: get<> needs a Read action");
    OPTIMIST_TRY(row, data_->get_for_update(*table_, Action::name, key));
    return S::from_row(*table_, std::move(row));
  }

  /// The record whose identity `Name` holds `values`: a declared identity<"Name", ...>, with
  /// one value per attribute in its order, or a unique attribute named `Name`, with one; each
  /// value typed as for eq<>. It reads through Action, whose base filter applies.
  /// Errors: not_found, invalid (a value that cannot be stored), unavailable, internal.
  template <detail::FixedString Name, class Action = ReadAction, class... Vs>
  [[nodiscard]] Result<T> get_by(const Vs&... values) const {
    return one<Action>(detail::identity_filter<T, Name>(values...));
  }

  /// The records `query` selects (a Query<T>, or a Where<T> filter), in its order.
  /// Errors: invalid (a value that cannot be stored, such as text that is not valid UTF-8 or
  /// holds a NUL, or a double that is not finite: `fields` names the attributes), unavailable,
  /// internal.
  template <class Action = ReadAction, class Q = Query<T>>
  [[nodiscard]] Result<std::vector<T>> all(const Q& query = {}) const {
    check_read<Action>();
    OPTIMIST_TRY(rows, data_->select(*table_, Action::name, selection_for<Action>(query)));
    return records(std::move(rows));
  }

  /// The one record `query` selects. Errors: not_found (none), invalid (more than one, or as
  /// all()), unavailable, internal.
  template <class Action = ReadAction, class Q>
  [[nodiscard]] Result<T> one(const Q& query) const {
    check_read<Action>();
    Selection s = selection_for<Action>(query);
    s.limit = 2;
    OPTIMIST_TRY(rows, data_->select(*table_, Action::name, std::move(s)));
    if (rows.size() != 1) return detail::not_one(*table_, Action::name, rows.size());
    return S::from_row(*table_, std::move(rows.front()));
  }

  /// How many records `query`'s filter matches (its order, limit and offset aside).
  /// Errors: as all().
  template <class Action = ReadAction, class Q = Query<T>>
  [[nodiscard]] Result<std::int64_t> count(const Q& query = {}) const {
    check_read<Action>();
    return data_->count(*table_, Action::name, selection_for<Action>(query).where);
  }

  /// Whether `query` selects any record. Errors: as all().
  template <class Action = ReadAction, class Q = Query<T>>
  [[nodiscard]] Result<bool> exists(const Q& query = {}) const {
    check_read<Action>();
    Selection s = selection_for<Action>(query);
    s.limit = 1;
    OPTIMIST_TRY(rows, data_->select(*table_, Action::name, std::move(s)));
    return !rows.empty();
  }

  /// A page of `query`'s records: the first page, or the one after `cursor` (a Page::next
  /// of the same query). A page holds the query's limit of records (100 when it sets none).
  /// Pages stay exact while records are created and destroyed between them: no record that
  /// exists throughout is skipped or repeated, however deep the page (each page reads only
  /// its own records, unlike an offset).
  /// Errors: invalid (the `cursor` field malformed: a cursor that was altered, or made for
  /// another query or by a store with another Options::cursor_key; an offset with a cursor; a
  /// limit of 0; more values than DataLayer::max_bound_values less the k(k+1)/2 that the
  /// cursor of an order of k keys, the primary key included, takes, refused on the first
  /// page already; or as all()), unavailable, internal.
  template <class Action = ReadAction, class Q = Query<T>>
  [[nodiscard]] Result<Page<T>> page(const Q& query = {}, std::string_view cursor = {}) const {
    check_read<Action>();
    OPTIMIST_TRY(rows, detail::page_rows(*store_, *data_, *table_, Action::name,
                                         selection_for<Action>(query), cursor));
    OPTIMIST_TRY(list, records(std::move(rows.rows)));
    return Page<T>{std::move(list), std::move(rows.next)};
  }

  /// Calls `f` with each record `query` selects, in its order, reading them in keyset pages
  /// of `batch` records: a result of any size, never more than one batch in memory. `f` takes
  /// a `const T&` and returns void, or a Result<void> whose error stops the walk. The query's
  /// limit, when set, caps the records visited; an offset is refused. Records created or
  /// destroyed during the walk may or may not be visited; none that exists throughout is
  /// missed or visited twice. Errors: f's; invalid (an offset, a batch of 0, or as all()),
  /// unavailable, internal.
  template <class Action = ReadAction, class Q, class F>
  [[nodiscard]] Result<void> for_each(const Q& query, std::size_t batch, F&& f) const {
    check_read<Action>();
    Selection s = selection_for<Action>(query);
    if (s.offset != 0) return detail::offset_in_walk(*table_, Action::name);
    std::optional<std::size_t> left = s.limit;
    std::string cursor;
    do {
      if (left && *left == 0) return ok();
      s.limit = left ? std::min(*left, batch) : batch;
      OPTIMIST_TRY(rows, detail::page_rows(*store_, *data_, *table_, Action::name, s, cursor));
      for (Row& row : rows.rows) {
        OPTIMIST_TRY(record, S::from_row(*table_, std::move(row)));
        if constexpr (std::is_void_v<std::invoke_result_t<F&, const T&>>) {
          f(std::as_const(record));
        } else {
          OPTIMIST_TRYV(f(std::as_const(record)));
        }
      }
      if (left) *left -= rows.rows.size();
      if (!rows.next) return ok();
      cursor = std::move(*rows.next);
    } while (true);
  }

  /// The children of `parents` without N+1: the records of T whose attribute M (a
  /// std::int64_t, or a std::optional of one, holding another resource's primary key) is
  /// the key of one of `parents` (records of that resource, or their keys; a key given
  /// twice counts once), grouped by it: `phones[user.id]` are that user's phones, in
  /// `query`'s order. `query` (a Query<T> or Where<T>, through Action as for all()) filters
  /// and orders the children. One select per detail::related_batch (10 000) distinct keys,
  /// none when there are no keys. Errors: invalid (a limit or offset in `query`: the
  /// `limit` or `offset` field not_accepted; or as all()), unavailable, internal.
  template <auto M, class Action = ReadAction, std::ranges::input_range R, class Q = Query<T>>
  [[nodiscard]] Result<Related<T>> children_of(const R& parents, const Q& query = {}) const {
    static_assert(std::is_same_v<detail::owner_t<M>, T>,
                  "optimist: children_of<> names an attribute of the resource it reads, like "
                  "Resource<Phone>::children_of<&Phone::user_id>");
    detail::check_reference<M>();
    return related<M, Action>(
        detail::distinct_keys(
            parents,
            [](const auto& p) -> std::optional<std::int64_t> { return detail::parent_key(p); }),
        query);
  }

  /// The parents of `children` without N+1: the records of T whose primary key one of
  /// `children` (records of M's resource) holds in its attribute M (as for children_of), by
  /// key: `users.find(phone.user_id)` is that phone's user, nullptr when the phone has none
  /// (an empty std::optional), when no such record exists, or when `query` filters it away.
  /// One select per 10 000 distinct keys. Errors: as children_of().
  template <auto M, class Action = ReadAction, std::ranges::input_range R, class Q = Query<T>>
  [[nodiscard]] Result<Related<T>> parents_of(const R& children, const Q& query = {}) const {
    using Child = detail::owner_t<M>;
    static_assert(std::is_same_v<std::ranges::range_value_t<R>, Child>,
                  "optimist: parents_of<&Child::member> takes records of Child");
    detail::check_reference<M>();
    return related<S::key_member, Action>(
        detail::distinct_keys(children, [](const Child& c) { return detail::held_key(c.*M); }),
        query);
  }

  /// A page of the records a dynamic query selects (see QueryInput), checked at run time
  /// against the read action: only attributes it declares Filterable may be filtered on, only
  /// Sortable ones sorted on, a page holds at most its MaxLimit (1000 without). The action's
  /// base filter (where()) always applies, and its DefaultOrder when the input gives no order.
  /// Pages and cursors are as for page().
  /// Errors: invalid (every refused test, order key and the limit at once, see
  /// detail::parse_query; then a malformed cursor, or as all()), unavailable, internal.
  template <class Action = ReadAction>
  [[nodiscard]] Result<Page<T>> page_from(const QueryInput& input) const {
    check_read<Action>();
    static constexpr auto filterable = S::template filterable_columns<Action>();
    static constexpr auto sortable = S::template sortable_columns<Action>();
    static constexpr auto checks = S::input_checks();
    const detail::QueryRules rules{filterable, sortable, checks, detail::max_limit<Action>()};
    OPTIMIST_TRY(selection, detail::parse_query(*table_, Action::name, rules, input));
    through<Action>(selection);
    OPTIMIST_TRY(rows, detail::page_rows(*store_, *data_, *table_, Action::name,
                                         std::move(selection), input.cursor));
    OPTIMIST_TRY(list, records(std::move(rows.rows)));
    return Page<T>{std::move(list), std::move(rows.next)};
  }

  /// Creates a record from `changes` (each a set<&T::member>(value) the action accepts);
  /// attributes not set keep the struct's defaults; the store assigns the primary key and
  /// the version starts at its default. Returns the stored record.
  /// Errors: invalid (every refused field, nothing written), conflict, unavailable, internal.
  template <class Action = CreateAction, class... Cs>
  [[nodiscard]] Result<T> create(Cs&&... changes) const {
    static_assert(!std::is_void_v<Action>, "optimist: the resource defines no create action");
    static_assert(Action::kind == ActionKind::create, "optimist: create<> needs a Create action");
    OPTIMIST_TRY(record, created<Action>(std::forward<Cs>(changes)...));
    OPTIMIST_TRY(key, data_->insert(*table_, Action::name, S::to_row(record)));
    record.*(S::key_member) = key;
    return record;
  }

  /// Applies `changes` to the stored record if it is still at `record`'s version, and
  /// returns `record` with the changes and the new version. Changes equal to the values
  /// in `record` are dropped; when none remain, the version is still checked but not
  /// incremented. Errors: stale_record (filter {version, record's version}, stored_version),
  /// not_found, invalid (a refused field, a version below 1, or a record at its version type's
  /// maximum, which never wraps; nothing written), conflict, unavailable, internal.
  template <class Action = UpdateAction, class... Cs>
  [[nodiscard]] Result<T> update(const T& record, Cs&&... changes) const {
    static_assert(!std::is_void_v<Action>, "optimist: the resource defines no update action");
    static_assert(Action::kind == ActionKind::update, "optimist: update<> needs an Update action");
    OPTIMIST_TRYV(check_update<Action>(record, changes...));
    std::array<Assignment, sizeof...(Cs)> assignments;
    std::size_t n = 0;
    [[maybe_unused]] auto collect = [&](const auto& change) {
      constexpr auto m = std::remove_cvref_t<decltype(change)>::member;
      if (record.*m != change.value) {
        assignments[n++] = Assignment{S::template column<m>, detail::to_value(change.value)};
      }
    };
    (collect(changes), ...);
    OPTIMIST_TRY(version, data_->update(*table_, Action::name, record.*(S::key_member),
                                        record.*(S::version_member),
                                        std::span<const Assignment>(assignments.data(), n)));
    T updated = record;
    ((updated.*(std::remove_cvref_t<Cs>::member) = std::forward<Cs>(changes).value), ...);
    updated.*(S::version_member) = static_cast<detail::value_t<S::version_member>>(version);
    return updated;
  }

  /// create(), from dynamic input: each field names an attribute (by its column name) and
  /// gives its value (conversions: optimist/input.hpp). Validation, defaults and the result
  /// are as for create(). Every refused field is reported at once, one FieldError per
  /// refused name, first the names in input order (unknown_attribute, however often given;
  /// else duplicate_name, a name given more than once; else not_accepted, an attribute the
  /// action does not accept, the primary key and the version included), then the values in
  /// input order (wrong_type, out_of_range, required, too_long, invalid_utf8, contains_nul),
  /// then required attributes the input does not name.
  /// Errors: invalid (as above; nothing written), conflict, unavailable, internal.
  template <class Action = CreateAction>
  [[nodiscard]] Result<T> create_from(const Input& input) const {
    static_assert(!std::is_void_v<Action>, "optimist: the resource defines no create action");
    static_assert(Action::kind == ActionKind::create,
                  "optimist: create_from<> needs a Create action");
    check_accept_list<Action>();
    static constexpr auto accepted = S::template accepted_columns<Action>();
    return create_input(Action::name, accepted, input);
  }

  /// update(), from dynamic input (see create_from for the fields and their errors): applies
  /// the input to the stored record if it is still at `record`'s version; values equal to
  /// those in `record` are dropped. A version below 1 is refused before the input is read.
  /// Errors: stale_record (filter {version, record's version}, stored_version), not_found,
  /// invalid (as above, or a record at its version type's maximum; nothing written),
  /// conflict, unavailable, internal.
  template <class Action = UpdateAction>
  [[nodiscard]] Result<T> update_from(const T& record, const Input& input) const {
    static_assert(!std::is_void_v<Action>, "optimist: the resource defines no update action");
    static_assert(Action::kind == ActionKind::update,
                  "optimist: update_from<> needs an Update action");
    check_accept_list<Action>();
    static constexpr auto accepted = S::template accepted_columns<Action>();
    OPTIMIST_TRY(planned, input_update(Action::name, accepted, record, input));
    OPTIMIST_TRY(version, data_->update(*table_, Action::name, record.*(S::key_member),
                                        record.*(S::version_member), planned.assignments));
    planned.updated.*(S::version_member) = static_cast<detail::value_t<S::version_member>>(version);
    return std::move(planned.updated);
  }

  /// Deletes the stored record if it is still at `record`'s version.
  /// Errors: stale_record, not_found, invalid (a version below 1), unavailable, internal.
  template <class Action = DestroyAction>
  [[nodiscard]] Result<void> destroy(const T& record) const {
    static_assert(!std::is_void_v<Action>, "optimist: the resource defines no destroy action");
    static_assert(Action::kind == ActionKind::destroy,
                  "optimist: destroy<> needs a Destroy action");
    OPTIMIST_TRYV(check_version(record, Action::name));
    return data_->destroy(*table_, Action::name, record.*(S::key_member),
                          record.*(S::version_member));
  }

  /// Applies atomic changes (each an increment<&T::member>(n) or decrement<>(n) of an
  /// attribute the update action accepts) to the stored record `key` in one data-layer step,
  /// as `member = member + n`, without reading it first, and increments the version. It is
  /// never stale: concurrent changes all land, and holders of older copies see a conflict on
  /// their next locked update. Returns the record as stored right after the change (its new
  /// version included), never the caller's copy.
  /// Errors: not_found, invalid (an amount or the sum does not fit, or the record is at its
  /// version type's maximum: out_of_range; nothing written), conflict (the sum repeats another
  /// record's values in an identity), unavailable, internal.
  template <class Action = UpdateAction, class... Ds>
  [[nodiscard]] Result<T> change(std::int64_t key, const Ds&... deltas) const {
    return apply_deltas<Action, Ds...>(key, std::nullopt, deltas...);
  }

  /// change() on the stored record with `record`'s primary key; `record`'s version is not
  /// checked (see change_locked).
  template <class Action = UpdateAction, class... Ds>
  [[nodiscard]] Result<T> change(const T& record, const Ds&... deltas) const {
    return apply_deltas<Action, Ds...>(record.*(S::key_member), std::nullopt, deltas...);
  }

  /// change(), but only if the stored record is still at `record`'s version, checked in the
  /// same data-layer step as the change.
  /// Errors: stale_record (filter {version, record's version}, stored_version), not_found,
  /// invalid (a version below 1 or at its type's maximum, or the sum does not fit), conflict,
  /// unavailable, internal.
  template <class Action = UpdateAction, class... Ds>
  [[nodiscard]] Result<T> change_locked(const T& record, const Ds&... deltas) const {
    OPTIMIST_TRYV(check_version(record, Action::name));
    return apply_deltas<Action, Ds...>(
        record.*(S::key_member), static_cast<std::int64_t>(record.*(S::version_member)), deltas...);
  }

  /// change(key, ...), throwing optimist::Exception on error.
  template <class Action = UpdateAction, class... Ds>
  T change_or_throw(std::int64_t key, const Ds&... deltas) const {
    return change<Action>(key, deltas...).value();
  }
  /// change(record, ...), throwing optimist::Exception on error.
  template <class Action = UpdateAction, class... Ds>
  T change_or_throw(const T& record, const Ds&... deltas) const {
    return change<Action>(record, deltas...).value();
  }

  /// get(), throwing optimist::Exception on error.
  template <class Action = ReadAction>
  T get_or_throw(std::int64_t key) const {
    return get<Action>(key).value();
  }
  /// create(), throwing optimist::Exception on error.
  template <class Action = CreateAction, class... Cs>
  T create_or_throw(Cs&&... changes) const {
    return create<Action>(std::forward<Cs>(changes)...).value();
  }
  /// update(), throwing optimist::Exception on error.
  template <class Action = UpdateAction, class... Cs>
  T update_or_throw(const T& record, Cs&&... changes) const {
    return update<Action>(record, std::forward<Cs>(changes)...).value();
  }
  /// create_from(), throwing optimist::Exception on error.
  template <class Action = CreateAction>
  T create_from_or_throw(const Input& input) const {
    return create_from<Action>(input).value();
  }
  /// update_from(), throwing optimist::Exception on error.
  template <class Action = UpdateAction>
  T update_from_or_throw(const T& record, const Input& input) const {
    return update_from<Action>(record, input).value();
  }
  /// destroy(), throwing optimist::Exception on error.
  template <class Action = DestroyAction>
  void destroy_or_throw(const T& record) const {
    destroy<Action>(record).value();
  }

  /// The runtime table description this resource is stored in.
  [[nodiscard]] const Table& table() const noexcept { return *table_; }
  /// The store this resource was opened on.
  [[nodiscard]] const std::shared_ptr<Store>& store() const noexcept { return store_; }

 private:
  friend class StepContext;         // binds a Resource to a unit's transaction
  friend class Unit;                // validates a unit's steps before its transaction opens
  friend struct detail::UnitSteps;  // builds the Resource those validations run on
  Resource(std::shared_ptr<Store> store, const Table* table)
      : store_(std::move(store)), data_(store_.get()), table_(table) {}

  // The validation of each write, before any I/O: the calls above run it first, and a Unit
  // runs it for every step whose input is known before its transaction opens. Defined in
  // optimist/detail/resource_writes.hpp.

  // The compile-time checks of a read of many records.
  template <class Action>
  static constexpr void check_read() {
    static_assert(!std::is_void_v<Action>, "optimist: the resource defines no read action");
    static_assert(Action::kind == ActionKind::read, "optimist: a query needs a Read action");
  }
  // The selection of a Query<T> or a Where<T> through Action: with its base filter, and its
  // default order when the query gives none.
  template <class Action, class Q>
  static Selection selection_for(const Q& query) {
    Selection s = selection_of(query);
    through<Action>(s);
    return s;
  }
  template <class Action>
  static void through(Selection& s) {
    if constexpr (requires { Action::where(); }) {
      static_assert(std::is_same_v<decltype(Action::where()), Where<T>>,
                    "optimist: a read action's where() returns an optimist::Where of its resource");
      Query<T> q = Action::where();
      if (s.where.kind != Condition::Kind::all) {
        q.where(detail::WhereAccess::make<T>(std::move(s.where)));
      }
      s.where = q.selection().where;
    }
    if (s.order.empty()) s.order = detail::default_order<T, Action>();
  }
  // The selection of a Query<T> or a Where<T>.
  template <class Q>
  static Selection selection_of(const Q& query) {
    static_assert(std::is_same_v<Q, Query<T>> || std::is_same_v<Q, Where<T>>,
                  "optimist: the query is on another resource's attributes (or is no "
                  "optimist::Query or Where)");
    if constexpr (std::is_same_v<Q, Where<T>>) {
      Selection s;
      s.where = query.condition();
      return s;
    } else {
      return query.selection();
    }
  }
  // The records of T whose attribute By holds one of `keys`, grouped by it: children_of
  // and parents_of.
  template <auto By, class Action, class Q>
  Result<Related<T>> related(const std::vector<std::int64_t>& keys, const Q& query) const {
    check_read<Action>();
    const Selection s = selection_for<Action>(query);
    if (s.limit || s.offset != 0) {
      return detail::window_in_related(*table_, Action::name, s.offset != 0);
    }
    Related<T> out;
    for (std::size_t at = 0; at < keys.size(); at += detail::related_batch) {
      const std::size_t n = std::min(detail::related_batch, keys.size() - at);
      Where<T> where = optimist::in<By>(std::span<const std::int64_t>(keys.data() + at, n));
      if (s.where.kind != Condition::Kind::all) {
        where = std::move(where) && detail::WhereAccess::make<T>(s.where);
      }
      Selection batch;
      batch.where = where.condition();
      batch.order = s.order;
      OPTIMIST_TRY(rows, data_->select(*table_, Action::name, std::move(batch)));
      for (Row& row : rows) {
        OPTIMIST_TRY(record, S::from_row(*table_, std::move(row)));
        const std::optional<std::int64_t> key = detail::held_key(record.*By);
        out.groups_[*key].push_back(std::move(record));  // `in` never matches a NULL
      }
    }
    return out;
  }

  // The records of rows read.
  Result<std::vector<T>> records(std::vector<Row>&& rows) const {
    std::vector<T> out;
    out.reserve(rows.size());
    for (Row& row : rows) {
      OPTIMIST_TRY(record, S::from_row(*table_, std::move(row)));
      out.push_back(std::move(record));
    }
    return out;
  }

  // The compile-time checks of set<>() changes, and of an action's accept list.
  template <class Action, class... Cs>
  static constexpr void check_changes();
  template <class Action>
  static constexpr void check_accept_list();
  // The record create() stores, validated.
  template <class Action, class... Cs>
  Result<T> created(Cs&&... changes) const;
  // The version check and the values of update().
  template <class Action, class... Cs>
  Result<void> check_update(const T& record, const Cs&... changes) const;
  // The amounts of an atomic change.
  template <class Action, class... Ds>
  Result<void> check_deltas(std::int64_t key, const Ds&... deltas) const;
  // A record's version, which no stored record has below 1.
  Result<void> check_version(const T& record, std::string_view action) const;

  // The writes behind change(), change_locked() and create_from(), and update_from()'s plan.
  // The dynamic-input paths exist once per resource: actions differ only in name and accept
  // list.
  template <class Action, class... Ds>
  Result<T> apply_deltas(std::int64_t key, std::optional<std::int64_t> expected,
                         const Ds&... deltas) const;
  // The record create_from() stores, validated.
  Result<T> input_record(std::string_view action, std::span<const bool, S::size> accepted,
                         const Input& input) const;
  Result<T> create_input(std::string_view action, std::span<const bool, S::size> accepted,
                         const Input& input) const;
  // What update_from() writes: the updated record and the assignments that differ.
  struct InputUpdate;
  // update_from()'s version check and input, validated.
  Result<InputUpdate> input_update(std::string_view action, std::span<const bool, S::size> accepted,
                                   const T& record, const Input& input) const;

  std::shared_ptr<Store> store_;
  DataLayer* data_ = nullptr;
  const Table* table_ = nullptr;
};

}  // namespace optimist

// The bodies of Resource's private checks and writes.
#include "optimist/detail/resource_writes.hpp"
