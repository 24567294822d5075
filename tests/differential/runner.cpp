// SPDX-License-Identifier: MIT
#include "differential/runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <variant>

#include "differential/records.hpp"
#include "differential/render.hpp"

namespace optimist::differential {

namespace {

/// The error of a unit's `fail` step: an application's own kind.
inline constexpr ErrorKind abandoned{"abandoned", ErrorClass::invalid, "the unit gave up"};

/// A primary key no store assigns in a test: operations on it answer not_found.
constexpr std::int64_t never_key = std::int64_t{1} << 40;

/// The most pages a walk reads before it counts as endless.
constexpr std::size_t max_pages = 100;

/// Calls `f.template operator()<M>()` with the member M of T's column `column`.
template <class T, class F>
void with_member(std::size_t column, F&& f) {
  using S = detail::Schema<T>;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (void)((column == I &&
            (f.template operator()<std::tuple_element_t<I, typename S::Attributes>::member>(),
             true)) ||
           ...);
  }
  (std::make_index_sequence<S::size>{});
}

/// The typed filter of test `f` on member M, through the builders a caller uses.
template <auto M>
Where<detail::owner_t<M>> test_of(const QueryFilter& f) {
  using A = detail::inner_t<M>;
  std::deque<A> values;  // not std::vector: std::vector<bool> hands out proxies, not bools
  for (const Value& v : f.values) {
    const auto* a = std::get_if<A>(&v);
    if (a == nullptr) throw std::logic_error("a query value of another type than its column");
    values.push_back(*a);
  }
  const bool one = values.size() == 1;
  switch (f.test) {
    case Compare::eq:
      if (one) return eq<M>(values[0]);
      break;
    case Compare::ne:
      if (one) return ne<M>(values[0]);
      break;
    case Compare::lt:
      if (one) return lt<M>(values[0]);
      break;
    case Compare::le:
      if (one) return le<M>(values[0]);
      break;
    case Compare::gt:
      if (one) return gt<M>(values[0]);
      break;
    case Compare::ge:
      if (one) return ge<M>(values[0]);
      break;
    case Compare::in:
      return in<M>(values);
    case Compare::is_null:
      if constexpr (detail::IsOptional<detail::value_t<M>>::value) return is_null<M>();
      break;
    case Compare::starts_with:
      if constexpr (std::is_same_v<A, std::string>) {
        if (one) return starts_with<M>(values[0]);
      }
      break;
  }
  throw std::logic_error("a query test that its column cannot take");
}

template <class T>
Where<T> where_of(const QueryFilter& f) {
  switch (f.kind) {
    case Condition::Kind::all:
      return Where<T>();
    case Condition::Kind::test: {
      Where<T> w;
      with_member<T>(
          f.column, [&]<auto M>() { w = test_of<M>(f); });
      return w;
    }
    case Condition::Kind::all_of:
    case Condition::Kind::any_of:
    case Condition::Kind::none_of:
      break;
  }
  const bool all_of = f.kind == Condition::Kind::all_of;
  if (f.operands.empty())
    return all_of || f.kind == Condition::Kind::none_of ? Where<T>() : !Where<T>();
  Where<T> w = where_of<T>(f.operands[0]);
  for (std::size_t i = 1; i < f.operands.size(); ++i) {
    w = all_of ? std::move(w) && where_of<T>(f.operands[i])
               : std::move(w) || where_of<T>(f.operands[i]);
  }
  return f.kind == Condition::Kind::none_of ? !std::move(w) : w;
}

template <class T>
SortBy<T> sort_of(const SortKey& k) {
  SortBy<T> out{};
  with_member<T>(
      k.column, [&]<auto M>() { out = k.descending ? desc<M> : asc<M>; });
  return out;
}

/// The typed query of `spec` (its values resolved).
template <class T>
Query<T> query_of(const QuerySpec& spec) {
  Query<T> q(where_of<T>(spec.where));
  std::vector<SortBy<T>> keys;
  for (const SortKey& k : spec.order) keys.push_back(sort_of<T>(k));
  switch (keys.size()) {
    case 0:
      break;
    case 1:
      q.order_by(keys[0]);
      break;
    case 2:
      q.order_by(keys[0], keys[1]);
      break;
    default:
      q.order_by(keys[0], keys[1], keys[2]);
      break;
  }
  if (spec.limit) q.limit(*spec.limit);
  q.offset(spec.offset);
  return q;
}

using Record = std::variant<Player, Address, Member, Gauge>;

/// A record the sequence created, and every copy of it the caller was handed.
struct Handle {
  Res res = Res::player;
  std::int64_t key = 0;
  std::vector<Record> copies;
  std::size_t fresh = 0;  ///< index of the copy of the latest committed state
  bool live = true;       ///< false once the sequence destroyed the record
};

/// The caller's side of the sequence on one store.
struct View {
  std::vector<Handle> handles;
  std::map<std::pair<Res, std::int64_t>, std::size_t> by_key;
};

std::size_t index_of(Res res) {
  return static_cast<std::size_t>(res);
}

/// Random selections over a table's columns (never its key, which differs between stores),
/// with the values that make their semantics matter: NULLs, ties, code points, empty lists.
class SelectionDraw {
 public:
  SelectionDraw(std::uint64_t seed, const Table& table) : rng_(seed), table_(table) {}
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }

  Selection selection() {
    Selection s;
    if (below(5) != 0) s.where = condition(0);
    for (auto n = below(3); n > 0; --n) {
      const std::size_t c = column();
      if (std::none_of(s.order.begin(), s.order.end(),
                       [&](const SortKey& k) { return k.column == c; })) {
        s.order.push_back({c, below(2) == 0});
      }
    }
    if (below(2) == 0) s.limit = below(6);
    if (below(4) == 0) s.offset = below(4);
    return s;
  }

 private:
  std::size_t column() {
    std::size_t c = table_.primary_key;
    while (c == table_.primary_key) c = below(table_.columns.size());
    return c;
  }

  Value value(ColumnType type) {
    switch (type) {
      case ColumnType::integer: {
        static constexpr std::int64_t pool[] = {-1, 0, 1, 2, 3, 5, 100};
        return pool[below(std::size(pool))];
      }
      case ColumnType::real: {
        static constexpr double pool[] = {-1.5, 0.0, 1.0, 2.5, 100.0};
        return pool[below(std::size(pool))];
      }
      case ColumnType::boolean:
        return below(2) == 0;
      case ColumnType::text: {
        static const char* const pool[] = {"",  "a",  "A", "Zo\xc3\xab", "\xc3\xa9",
                                           "%", "_a", "b", "NC"};
        return std::string(pool[below(std::size(pool))]);
      }
    }
    return {};
  }

  Condition condition(int depth) {
    const auto roll = below(10);
    if (depth < 2 && roll >= 7) {
      const auto kind = roll == 7   ? Condition::Kind::all_of
                        : roll == 8 ? Condition::Kind::any_of
                                    : Condition::Kind::none_of;
      std::vector<Condition> operands;
      for (auto n = 1 + below(3); n > 0; --n) operands.push_back(condition(depth + 1));
      return Condition::joined(kind, std::move(operands));
    }
    const std::size_t c = column();
    const ColumnType type = table_.columns[c].type;
    auto compare = static_cast<Compare>(below(9));
    if (compare == Compare::starts_with && type != ColumnType::text) compare = Compare::eq;
    std::vector<Value> values;
    if (compare == Compare::in) {
      for (auto n = below(4); n > 0; --n) values.push_back(value(type));
    } else if (compare != Compare::is_null) {
      values.push_back(value(type));
    }
    return Condition::of(compare, c, std::move(values));
  }

  std::mt19937_64 rng_;
  const Table& table_;
};

class Runner {
 public:
  explicit Runner(std::shared_ptr<Store> store)
      : store_(std::move(store)),
        resources_(Resource<Player>::open(store_), Resource<Address>::open(store_),
                   Resource<Member>::open(store_), Resource<Gauge>::open(store_)) {}

  /// Why the resources could not be opened, if they could not.
  std::optional<std::string> failed_to_open() const {
    std::optional<std::string> why;
    const auto first_error = [&](const auto& r) {
      if (!r && !why) why = render(r.error());
    };
    std::apply([&](const auto&... r) { (first_error(r), ...); }, resources_);
    return why;
  }

  std::string apply(const Op& op) {
    if (op.kind == OpKind::unit) return unit(op);
    if (op.kind == OpKind::transaction) return transaction(op);
    if (op.kind == OpKind::pages) {
      return with_type(op.res, [&]<class T>(std::type_identity<T>) { return pages<T>(op); });
    }
    bool failed = false;
    return with_type(
        op.res, [&]<class T>(std::type_identity<T>) { return simple<T>(op, nullptr, failed); });
  }

  std::string take_targets() { return std::exchange(targets_, {}); }
  std::string take_broken() { return std::exchange(broken_, {}); }

  std::string final_state() {
    std::vector<std::pair<std::size_t, std::string>> rows;
    for (Res res : {Res::player, Res::address, Res::member, Res::gauge}) {
      with_type(res, [&]<class T>(std::type_identity<T>) { read_all<T>(rows); });
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    for (const auto& [order, line] : rows) out += line + '\n';
    return out;
  }

 private:
  template <class T>
  const Resource<T>& resource() const {
    return std::get<Result<Resource<T>>>(resources_).value();
  }

  std::string key_name(Res res, std::int64_t key) const {
    if (key == never_key) return "never-created";
    if (auto it = view_.by_key.find({res, key}); it != view_.by_key.end()) {
      return fmt::format("#{}", it->second);
    }
    return fmt::format("unmapped-key-{}", key);
  }

  KeyNames names() const {
    return [this](Res res, std::int64_t key) { return key_name(res, key); };
  }

  template <class X>
  std::string render(const X& x) const {
    return differential::render(x, names());
  }

  /// The handle `t` picks among the (live) handles of T; nothing for never-created or when
  /// T has no handle yet.
  template <class T>
  std::optional<std::size_t> pick(const Target& t) const {
    if (t.never) return std::nullopt;
    std::vector<std::size_t> all;
    std::vector<std::size_t> live;
    for (std::size_t i = 0; i < view_.handles.size(); ++i) {
      if (view_.handles[i].res != Traits<T>::res) continue;
      all.push_back(i);
      if (view_.handles[i].live) live.push_back(i);
    }
    const auto& among = t.gone || live.empty() ? all : live;
    if (among.empty()) return std::nullopt;
    return among[t.pick % among.size()];
  }

  template <class T>
  std::int64_t key_of(const Target& t) {
    const auto h = pick<T>(t);
    const std::int64_t key = h ? view_.handles[*h].key : never_key;
    note(key_name(Traits<T>::res, key));
    return key;
  }

  template <class T>
  T copy_of(const Target& t) {
    using S = detail::Schema<T>;
    T copy{};
    copy.*(S::key_member) = never_key;
    if (const auto h = pick<T>(t)) {
      const Handle& handle = view_.handles[*h];
      const std::size_t i = t.copy == Copy::held ? t.held % handle.copies.size() : handle.fresh;
      copy = std::get<T>(handle.copies[i]);
    }
    if (t.copy == Copy::ahead) copy.*(S::version_member) += 1000;
    if (t.copy == Copy::zero) copy.*(S::version_member) = 0;
    note(fmt::format("{} v{}", key_name(Traits<T>::res, copy.*(S::key_member)),
                     copy.*(S::version_member)));
    return copy;
  }

  void note(const std::string& text) { targets_ += (targets_.empty() ? "" : ", ") + text; }

  /// `f` with the values taken from records put in.
  template <class T>
  void resolve(QueryFilter& f) {
    for (QueryFilter& o : f.operands) resolve<T>(o);
    if (f.kind != Condition::Kind::test || !f.from || f.values.empty()) return;
    const auto h = pick<T>(Target{.pick = *f.from});
    if (!h) return;
    const Handle& handle = view_.handles[*h];
    const Row row = detail::Schema<T>::to_row(std::get<T>(handle.copies[handle.fresh]));
    if (f.column >= row.size() || std::holds_alternative<std::monostate>(row[f.column])) return;
    f.values[0] = row[f.column];
    note(fmt::format("{}={}", column_name(Traits<T>::res, f.column),
                     differential::render(f.values[0])));
  }

  template <class T>
  QuerySpec resolved(QuerySpec spec) {
    resolve<T>(spec.where);
    return spec;
  }

  /// count() and exists() of `q`.
  template <class T>
  std::string count(const Resource<T>& r, const Query<T>& q, bool& failed) {
    const auto n = r.count(q);
    const auto any = r.exists(q);
    failed = !n || !any;
    if (n && any) return fmt::format("ok count={} exists={}", n.value(), any.value());
    return fmt::format("count: {}, exists: {}",
                       n ? fmt::format("ok {}", n.value()) : "error " + render(n.error()),
                       any ? fmt::format("ok {}", any.value()) : "error " + render(any.error()));
  }

  /// The pages of `op`'s query to the end, with its steps between them; checks that a walk
  /// that ends (and skips nothing by an offset) sees each record that exists unchanged
  /// throughout exactly once, and none twice at one version.
  template <class T>
  std::string pages(const Op& op) {
    const Resource<T>& r = resource<T>();
    QuerySpec spec = resolved<T>(op.query);
    const Query<T> q = query_of<T>(spec);
    spec.limit.reset();
    spec.offset = 0;
    const Query<T> whole = query_of<T>(spec);
    using S = detail::Schema<T>;
    auto versions = [](const Result<std::vector<T>>& list) {
      std::map<std::int64_t, std::int64_t> out;
      if (list) {
        for (const T& t : list.value()) out[t.*(S::key_member)] = t.*(S::version_member);
      }
      return out;
    };
    const auto before = versions(r.all(whole));
    std::map<std::pair<std::int64_t, std::int64_t>, int> seen;  // (key, version): times
    std::string out;
    std::string cursor;
    bool ended = false;  // at a page without a next one
    for (std::size_t page = 0;; ++page) {
      if (page == max_pages) {
        broken_ = fmt::format("the walk did not end after {} pages", max_pages);
        out += "; unfinished";
        break;
      }
      auto p = r.page(q, cursor);
      out += fmt::format("{}page {}: ", page == 0 ? "" : "; ", page);
      if (!p) {
        out += "error " + render(p.error());
        break;
      }
      out += render(p.value().records);
      for (const T& t : p.value().records) ++seen[{t.*(S::key_member), t.*(S::version_member)}];
      if (!p.value().next) {
        out += " end";
        ended = true;
        break;
      }
      cursor = *p.value().next;
      if (page < op.steps.size()) {
        const Op& step = op.steps[page];
        bool failed = false;
        out += fmt::format("; s{}: ", page);
        out += with_type(step.res, [&]<class U>(std::type_identity<U>) {
          return simple<U>(step, nullptr, failed);
        });
      }
    }
    // An offset skips records on purpose (and is refused after the first page).
    if (!ended || op.query.offset != 0) return out;
    const auto after = versions(r.all(whole));
    for (const auto& [key, version] : before) {
      const auto it = after.find(key);
      if (it == after.end() || it->second != version || !broken_.empty()) continue;
      const auto times = seen.find({key, version});
      const int n = times == seen.end() ? 0 : times->second;
      if (n != 1) {
        broken_ = fmt::format("{} matched throughout, unchanged, and was seen {} times",
                              key_name(Traits<T>::res, key), n);
      }
    }
    for (const auto& [key_version, n] : seen) {
      if (n > 1 && broken_.empty()) {
        broken_ = fmt::format("{} at version {} was seen {} times",
                              key_name(Traits<T>::res, key_version.first), key_version.second, n);
      }
    }
    return out;
  }

  /// The caller now holds `record`, the latest committed state.
  template <class T>
  void observe(const T& record) {
    const std::int64_t key = record.*(detail::Schema<T>::key_member);
    auto it = view_.by_key.find({Traits<T>::res, key});
    if (it == view_.by_key.end()) return;
    Handle& h = view_.handles[it->second];
    h.copies.emplace_back(record);
    h.fresh = h.copies.size() - 1;
  }

  template <class T>
  void destroyed(const T& record) {
    const std::int64_t key = record.*(detail::Schema<T>::key_member);
    auto it = view_.by_key.find({Traits<T>::res, key});
    if (it != view_.by_key.end()) view_.handles[it->second].live = false;
  }

  template <class T>
  void created(const T& record) {
    const std::int64_t key = record.*(detail::Schema<T>::key_member);
    auto& max = max_key_[index_of(Traits<T>::res)];
    max = std::max(max, key);
    view_.by_key[{Traits<T>::res, key}] = view_.handles.size();
    view_.handles.push_back(Handle{Traits<T>::res, key, {Record{record}}, 0});
  }

  /// A create, read, update, destroy or atomic change, on the store or in `tx`.
  template <class T>
  std::string simple(const Op& op, Transaction* tx, bool& failed) {
    const Resource<T> r = tx != nullptr ? resource<T>().in(*tx) : resource<T>();
    auto done = [&](const auto& result) {
      failed = !result;
      return render(result);
    };
    switch (op.kind) {
      case OpKind::create: {
        auto result = with_slots<T, true>(
            op, [&]<bool... On>() {
              return std::apply([&](auto&&... c) { return r.create(c...); },
                                changes<T, On...>(op, nullptr));
            });
        if (result) created(result.value());
        return done(result);
      }
      case OpKind::get:
      case OpKind::get_for_update: {
        const std::int64_t key = key_of<T>(op.target);
        auto result = op.kind == OpKind::get ? r.get(key) : r.get_for_update(key);
        if (result) observe(result.value());
        return done(result);
      }
      case OpKind::update: {
        const T copy = copy_of<T>(op.target);
        auto result = with_slots<T, false>(
            op, [&]<bool... On>() {
              return std::apply([&](auto&&... c) { return r.update(copy, c...); },
                                changes<T, On...>(op, &copy));
            });
        if (result) observe(result.value());
        return done(result);
      }
      case OpKind::destroy: {
        const T copy = copy_of<T>(op.target);
        auto result = r.destroy(copy);
        if (result) destroyed<T>(copy);
        return done(result);
      }
      case OpKind::change:
      case OpKind::change_locked:
        if constexpr (has_counter<T>) {
          auto result = op.kind == OpKind::change
                            ? r.change(key_of<T>(op.target), delta_of<T>(op))
                            : r.change_locked(copy_of<T>(op.target), delta_of<T>(op));
          if (result) observe(result.value());
          return done(result);
        }
        break;
      case OpKind::select:
        return select<T>(op);
      case OpKind::query: {
        auto result = r.all(query_of<T>(resolved<T>(op.query)));
        return done(result);
      }
      case OpKind::count:
        return count(r, query_of<T>(resolved<T>(op.query)), failed);
      case OpKind::one: {
        auto result = r.one(query_of<T>(resolved<T>(op.query)));
        return done(result);
      }
      case OpKind::fail:
      case OpKind::unit:
      case OpKind::transaction:
      case OpKind::pages:
        break;
    }
    failed = true;
    return "not a step of a transaction";
  }

  std::string transaction(const Op& op) {
    const View before = view_;
    auto begun = store_->begin();
    if (!begun) return "begin: error " + render(begun.error());
    Transaction& tx = *begun.value();
    std::string out = "[";
    bool failed = false;
    for (std::size_t i = 0; i < op.steps.size() && !failed; ++i) {
      const Op& step = op.steps[i];
      out += fmt::format("{}s{}: ", i == 0 ? "" : "; ", i);
      out += with_type(
          step.res, [&]<class T>(std::type_identity<T>) { return simple<T>(step, &tx, failed); });
    }
    // A failed step ends the transaction (PostgreSQL refuses further statements in it).
    if (failed || !op.commit) {
      view_ = before;
      const auto r = tx.rollback();
      return out + (r ? "] rolled back" : "] rollback: error " + render(r.error()));
    }
    const auto r = tx.commit();
    if (!r) view_ = before;
    return out + (r ? "] committed" : "] commit: error " + render(r.error()));
  }

  /// Adds step `op` named `name` to `unit`; `previous` names the latest earlier step on the
  /// same resource ("" when none).
  template <class T>
  void add_step(Unit& unit, const Op& op, const std::string& name, const std::string& previous) {
    const bool chained = op.target.chain && !previous.empty();
    if (chained) note(name + "<-" + previous);
    switch (op.kind) {
      case OpKind::create:
        with_slots<T, true>(
            op, [&]<bool... On>() {
              std::apply([&](auto&&... c) { unit.create<T>(name, c...); },
                         changes<T, On...>(op, nullptr));
            });
        return;
      case OpKind::update:
        if (chained) {
          with_slots<T, false>(
              op, [&]<bool... On>() {
                unit.update<T>(name, [op, previous](const UnitResults& rs) {
                  const T& base = rs.get<T>(previous);
                  return std::tuple_cat(std::tuple<T>{base}, changes<T, On...>(op, &base));
                });
              });
        } else {
          const T copy = copy_of<T>(op.target);
          with_slots<T, false>(
              op, [&]<bool... On>() {
                std::apply([&](auto&&... c) { unit.update(name, copy, c...); },
                           changes<T, On...>(op, &copy));
              });
        }
        return;
      case OpKind::destroy:
        if (chained) {
          unit.destroy<T>(name, [previous](const UnitResults& rs) { return rs.get<T>(previous); });
        } else {
          unit.destroy(name, copy_of<T>(op.target));
        }
        return;
      case OpKind::get_for_update:
        unit.custom<T>(name, [key = key_of<T>(op.target)](StepContext& ctx) -> Result<T> {
          OPTIMIST_TRY(r, ctx.resource<T>());
          return r.get_for_update(key);
        });
        return;
      case OpKind::change:
      case OpKind::change_locked:
        if constexpr (has_counter<T>) {
          if (op.kind == OpKind::change) {
            unit.change<T>(name, key_of<T>(op.target), delta_of<T>(op));
          } else {
            unit.change_locked(name, copy_of<T>(op.target), delta_of<T>(op));
          }
        }
        return;
      case OpKind::fail:
        unit.custom(name, [](StepContext&) -> Result<void> {
          Error e;
          e.kind = abandoned;
          return e;
        });
        return;
      case OpKind::get:
      case OpKind::unit:
      case OpKind::transaction:
      case OpKind::query:
      case OpKind::select:
      case OpKind::count:
      case OpKind::one:
      case OpKind::pages:
        return;
    }
  }

  std::string unit(const Op& op) {
    Unit unit;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < op.steps.size(); ++i) {
      const Op& step = op.steps[i];
      std::string previous;
      for (std::size_t j = i; j-- > 0;) {
        if (op.steps[j].kind != OpKind::fail && op.steps[j].res == step.res) {
          previous = names[j];
          break;
        }
      }
      names.push_back(fmt::format("s{}", i));
      with_type(step.res, [&]<class T>(std::type_identity<T>) {
        add_step<T>(unit, step, names.back(), previous);
      });
    }
    const UnitResult r = unit.run(store_);
    const UnitResults& results = r ? r.value() : r.error().completed;
    // A failed unit reports its records as stored after the rollback, its creates not at all.
    std::string out = "[";
    for (std::size_t i = 0; i < op.steps.size(); ++i) {
      if (!results.contains(names[i])) continue;
      out += fmt::format("{}s{}: ", i == 0 ? "" : "; ", i);
      const Op& step = op.steps[i];
      out += with_type(step.res, [&]<class T>(std::type_identity<T>) -> std::string {
        const T* t = results.find<T>(names[i]);
        if (t == nullptr) return "?";
        if (r && step.kind == OpKind::create) {
          created(*t);
        } else if (r && step.kind == OpKind::destroy) {
          destroyed(*t);
        } else if (step.kind != OpKind::destroy) {
          observe(*t);
        }
        return render(*t);
      });
    }
    out += "] ";
    if (r) return out + "committed";
    out += fmt::format("failed at {}: {}", r.error().step.empty() ? "-" : r.error().step,
                       render(static_cast<const Error&>(r.error())));
    return out;
  }

  /// The records of `rows`, each rendered, keys as handles.
  template <class T>
  std::string records(std::vector<Row>&& rows) const {
    std::string out = "[";
    for (Row& row : rows) {
      auto t = detail::Schema<T>::from_row(resource<T>().table(), std::move(row));
      out += (out.size() == 1 ? "" : "; ") + (t ? render(t.value()) : "?");
    }
    return out + "]";
  }

  /// A random selection of T's table drawn from the op's seed, read at once and walked in
  /// keyset pages: every store must give the same records in the same order.
  template <class T>
  std::string select(const Op& op) {
    const Table& table = resource<T>().table();
    SelectionDraw draw(static_cast<std::uint64_t>(std::get<std::int64_t>(op.amount)), table);
    const Selection s = draw.selection();
    auto rows = store_->select(table, "query", s);
    std::string out = rows ? "select " + records<T>(std::move(rows).value())
                           : "select error " + render(rows.error());
    Selection paged = s;
    paged.offset = 0;
    paged.limit = 1 + draw.below(3);
    std::vector<Row> walked;
    std::string cursor;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = detail::page_rows(*store_, *store_, table, "query", paged, cursor);
      if (!page) return out + " pages: error " + render(page.error());
      for (Row& row : page.value().rows) walked.push_back(std::move(row));
      if (!page.value().next) break;
      cursor = *page.value().next;
    }
    return out + " pages " + records<T>(std::move(walked));
  }

  template <class T>
  void read_all(std::vector<std::pair<std::size_t, std::string>>& rows) const {
    const Res res = Traits<T>::res;
    for (std::int64_t key = 1; key <= max_key_[index_of(res)]; ++key) {
      auto r = resource<T>().get(key);
      if (!r && r.error().kind == ErrorKind::not_found) continue;
      auto it = view_.by_key.find({res, key});
      const std::size_t order =
          it == view_.by_key.end() ? std::numeric_limits<std::size_t>::max() : it->second;
      rows.emplace_back(order, fmt::format("{} {}", name_of(res), render(r)));
    }
  }

  std::shared_ptr<Store> store_;
  std::tuple<Result<Resource<Player>>, Result<Resource<Address>>, Result<Resource<Member>>,
             Result<Resource<Gauge>>>
      resources_;
  View view_;
  std::array<std::int64_t, 4> max_key_{};
  std::string targets_;
  std::string broken_;
};

}  // namespace

Trace run(const std::vector<Op>& ops, const Backend& backend) {
  Trace trace;
  auto store = backend.open();
  if (!store) {
    trace.final_state = "cannot open the store: " + store.error().message();
    return trace;
  }
  Runner runner(std::move(store).value());
  if (auto why = runner.failed_to_open()) {
    trace.final_state = "cannot open the resources: " + *why;
    return trace;
  }
  for (const Op& op : ops) {
    trace.outcomes.push_back(runner.apply(op));
    trace.targets.push_back(runner.take_targets());
    const std::string broken = runner.take_broken();
    if (!broken.empty() && trace.broken.empty()) {
      trace.broken = fmt::format("operation {}: {}", trace.outcomes.size() - 1, broken);
    }
  }
  trace.final_state = runner.final_state();
  return trace;
}

}  // namespace optimist::differential
