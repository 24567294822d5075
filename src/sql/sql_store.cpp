// SPDX-License-Identifier: MIT
#include "sql/sql_store.hpp"

#include <fmt/format.h>

#include <bit>
#include <set>

#include "version_limit.hpp"

namespace optimist::sql {

namespace {

constexpr std::size_t max_columns = 64;  // statement cache keys hold column sets as 64-bit masks

// The operations build their errors out of line and pass them on as an ErrorBox, one
// pointer: the stack frames of get and update, which every call runs through, then hold no
// Error (272 bytes), and the SOCI and libpq code they call runs on a shallower stack.
using detail::ErrorBox;

[[gnu::noinline]] ErrorBox failure(ErrorKind kind, std::string detail = {}) {
  return make_error(kind, std::move(detail));
}

[[gnu::noinline]] ErrorBox stale(std::int64_t stored) {
  Error e = make_error(ErrorKind::stale_record);
  e.stored_version = stored;
  return e;
}

// A statement prepared and run through SOCI, with each slot bound once, at preparation.
class SociStatement final : public Statement {
 public:
  SociStatement(soci::session& session, const std::string& text, std::vector<Slot>& in,
                std::vector<Slot>& out)
      : statement_(session) {
    for (Slot& s : out) {
      s.visit([&](auto& v) { statement_.exchange(soci::into(v, s.indicator)); });
    }
    for (Slot& s : in) {
      s.visit([&](auto& v) { statement_.exchange(soci::use(v, s.indicator)); });
    }
    statement_.alloc();
    statement_.prepare(text);
    statement_.define_and_bind();
  }

  bool execute() override { return statement_.execute(true); }
  long long affected_rows() override { return statement_.get_affected_rows(); }
  // Finishing the statement makes SQLite let go of its snapshot (and, for UPDATE ...
  // RETURNING, of its write transaction) before the connection's next write.
  void finish() override {
    while (statement_.fetch()) {
    }
  }

 private:
  soci::statement statement_;
};

// Puts `v` into `s`; false when the value does not fit the slot's column.
bool set_slot(Slot& s, const Value& v) {
  const ColumnType t = s.type;
  s.indicator = soci::i_ok;
  switch (v.index()) {
    case 0:
      s.indicator = soci::i_null;
      return true;
    case 1: {
      const auto i = std::get<std::int64_t>(v);
      if (t == ColumnType::real) return s.real = static_cast<double>(i), true;
      if (t == ColumnType::integer) return s.set_integer(i), true;
      return false;
    }
    case 2:
      if (t != ColumnType::real) return false;
      return s.real = std::get<double>(v), true;
    case 3:
      if (t != ColumnType::boolean) return false;
      return s.set_integer(std::get<bool>(v) ? 1 : 0), true;
    case 4:
      if (t != ColumnType::text) return false;
      s.text = std::get<std::string>(v);
      return true;
  }
  return false;
}

// The fetched row, each value made in place in the row from its slot.
Row read_row(std::vector<Slot>& out) {
  Row row;
  row.reserve(out.size());
  for (Slot& s : out) {
    if (s.indicator == soci::i_null) {
      row.emplace_back();
      continue;
    }
    switch (s.type) {
      case ColumnType::integer:
        row.emplace_back(std::in_place_type<std::int64_t>, s.integer);
        break;
      case ColumnType::boolean:
        row.emplace_back(std::in_place_type<bool>, s.integer != 0);
        break;
      case ColumnType::real:
        row.emplace_back(std::in_place_type<double>, s.real);
        break;
      case ColumnType::text:
        row.emplace_back(std::in_place_type<std::string>, std::move(s.text));
        break;
    }
  }
  return row;
}

[[gnu::noinline]] ErrorBox bad_value(const Table& t, std::size_t column) {
  Error e = make_error(ErrorKind::invalid);
  e.fields.push_back({t.columns[column].name, FieldReason::wrong_type});
  return e;
}

[[gnu::noinline]] ErrorBox bad_column(const Table& t, std::size_t column) {
  Error e = make_error(ErrorKind::invalid);
  e.fields.push_back({column < t.columns.size() ? t.columns[column].name : std::string("?"),
                      FieldReason::not_accepted});
  return e;
}

// The bit set of the changed columns in `mask`; false (and `bad` the culprit) when one is out
// of range, the key, the version, or given twice.
template <class Change>
bool column_mask(const Table& t, std::span<const Change> changes, std::uint64_t& mask,
                 std::size_t& bad) {
  mask = 0;
  for (const Change& c : changes) {
    const std::uint64_t bit = std::uint64_t{1} << (c.column % max_columns);
    if (c.column >= t.columns.size() || c.column >= max_columns || c.column == t.primary_key ||
        c.column == t.version || (mask & bit) != 0) {
      bad = c.column;
      return false;
    }
    mask |= bit;
  }
  return true;
}

std::vector<std::size_t> columns_of(std::uint64_t mask) {
  std::vector<std::size_t> out;
  while (mask != 0) {
    out.push_back(static_cast<std::size_t>(std::countr_zero(mask)));
    mask &= mask - 1;
  }
  return out;
}

// The position of column `c` among the columns of `mask` (ascending).
std::size_t rank(std::uint64_t mask, std::size_t c) {
  return static_cast<std::size_t>(std::popcount(mask & ((std::uint64_t{1} << c) - 1)));
}

constexpr std::size_t no_column = static_cast<std::size_t>(-1);

}  // namespace

std::unique_ptr<Statement> Connector::prepare(soci::session& session, const std::string& text,
                                              std::vector<Slot>& in, std::vector<Slot>& out) const {
  return std::make_unique<SociStatement>(session, text, in, out);
}

detail::ErrorBox unexpected_failure() {
  return failure(ErrorKind::internal, "unexpected failure in the SQL store");
}

/// A transaction: one pinned connection from BEGIN to COMMIT or ROLLBACK.
///
/// On a dialect that takes keys back with a rollback (Dialect::reserve_keys), savepoint 0 is
/// opened right after BEGIN, and the largest key inserted in each table is kept: a rollback
/// is then a rollback to savepoint 0, the keys reserved, and a commit, all under the
/// transaction's lock, so that no insert anywhere gets a key that this transaction handed
/// out; rolling back to a savepoint reserves them too.
class SqlTransaction final : public Transaction {
 public:
  SqlTransaction(SqlStore& store, Connection* c)
      : Transaction(store.logger()),
        store_(store),
        c_(c),
        reserves_keys_(!store.dialect().reserve_keys.empty()) {}
  ~SqlTransaction() override {
    if (c_ != nullptr) (void)finish(Op::rollback);
  }

 protected:
  Result<Row> do_get(const Table& table, std::int64_t key) override {
    return store_.get_on(*c_, table, key);
  }
  Result<Row> do_get_for_update(const Table& table, std::int64_t key) override {
    return store_.get_on(*c_, table, key, /*lock=*/true);
  }
  Result<std::int64_t> do_insert(const Table& table, const Row& row) override {
    if (!reserves_keys_) return store_.insert_on(*c_, table, row);
    auto key = store_.insert_on(*c_, table, row);
    if (key) inserted(table, key.value());
    return key;
  }
  Result<std::int64_t> do_update(const Table& table, std::int64_t key, std::int64_t expected,
                                 std::span<const Assignment> changes) override {
    return store_.update_on(*c_, table, key, expected, changes);
  }
  Result<Row> do_increment(const Table& table, std::int64_t key, std::span<const Increment> deltas,
                           std::optional<std::int64_t> expected) override {
    return store_.increment_on(*c_, table, key, deltas, expected);
  }
  Result<void> do_destroy(const Table& table, std::int64_t key, std::int64_t expected) override {
    return store_.destroy_on(*c_, table, key, expected);
  }
  Result<void> do_commit() override { return finish(Op::commit); }
  Result<void> do_rollback() override { return finish(Op::rollback); }
  Result<void> do_savepoint(std::size_t depth) override {
    return store_.control(*c_, Op::savepoint, depth);
  }
  Result<void> do_release_savepoint(std::size_t depth) override {
    return store_.control(*c_, Op::release_savepoint, depth);
  }
  Result<void> do_rollback_to_savepoint(std::size_t depth) override {
    OPTIMIST_TRYV(store_.control(*c_, Op::rollback_to_savepoint, depth));
    OPTIMIST_TRYV(store_.control(*c_, Op::release_savepoint, depth));
    return reserve_keys();
  }

 private:
  void inserted(const Table& table, std::int64_t key) {
    for (auto& [t, largest] : inserted_) {
      if (t == &table) {
        largest = std::max(largest, key);
        return;
      }
    }
    inserted_.emplace_back(&table, key);
  }

  Result<void> reserve_keys() {
    for (const auto& [table, largest] : inserted_) {
      OPTIMIST_TRYV(store_.reserve_keys_on(*c_, *table, largest));
    }
    return ok();
  }

  // Undoes every write, keeping the keys inserts took (see the class comment).
  Result<void> undo(Connection& c) {
    if (inserted_.empty()) return store_.control(c, Op::rollback);
    OPTIMIST_TRYV(store_.control(c, Op::rollback_to_savepoint, 0));
    OPTIMIST_TRYV(reserve_keys());
    return store_.control(c, Op::commit);
  }

  Result<void> finish(Op op) {
    Connection* c = c_;
    auto r = op == Op::commit ? store_.control(*c, Op::commit) : undo(*c);
    if (!r && !c->broken) {
      // A failed COMMIT (say SQLite busy) or step of the undo may leave the transaction open:
      // end it before the connection serves anyone else.
      if (!(op == Op::commit ? undo(*c) : store_.control(*c, Op::rollback))) c->broken = true;
    }
    if (!r && op == Op::rollback) c->broken = true;  // state unknown: rebuild it
    c_ = nullptr;
    store_.release(c);
    return r;
  }

  SqlStore& store_;
  Connection* c_;
  const bool reserves_keys_;  // savepoint 0 is open
  // The largest key inserted in each table, while reserves_keys_.
  std::vector<std::pair<const Table*, std::int64_t>> inserted_;
};

ErrorBox SqlStore::fail(Connection& c, const soci::soci_error& e) {
  Translated t = connector_->translate(e, c.session.get());
  if (t.broken) {
    c.broken = true;
    losses_.fetch_add(1, std::memory_order_relaxed);
  }
  // SQLite: a statement that failed (say, busy) is not reset and keeps its read snapshot, so
  // later reads on this connection would see the past and writes fail with BUSY_SNAPSHOT.
  // Finalising the cached statements ends it; they are prepared again on next use.
  if (dialect_.failure_spoils_statements) c.clear_statements();
  return std::move(t.error);
}

template <class F>
auto SqlStore::guarded(Connection& c, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const soci::soci_error& e) {
    return fail(c, e);
  } catch (const std::exception&) {
    return unexpected_failure();
  }
}

Prepared& SqlStore::prepared(Connection& c, const Table& table, Op op, std::uint64_t columns) {
  const Connection::Key key{&table, op, columns};
  auto& recent = c.recent;
  if (recent[0].statement == nullptr || recent[0].key != key) {
    if (recent[1].statement == nullptr || recent[1].key != key) {
      return lookup_or_prepare(c, key);
    }
    std::swap(recent[0], recent[1]);  // used from now on: the most recent
  }
  return *recent[0].statement;
}

Prepared& SqlStore::lookup_or_prepare(Connection& c, const Connection::Key& key) {
  // Found or made, it becomes the most recent.
  auto use = [&](Prepared* p) -> Prepared& {
    c.recent[1] = c.recent[0];
    c.recent[0] = {key, p};
    return *p;
  };
  if (auto it = c.cache.find(key); it != c.cache.end()) return use(it->second.get());

  const Table& table = *key.table;
  const Op op = key.op;
  std::string text;
  std::vector<std::size_t> in;  // column of each placeholder
  bool out_all = false;         // returns every column
  std::size_t out_one = no_column;
  const auto assigned = columns_of(key.columns);
  switch (op) {
    case Op::get:
    case Op::get_for_update:
      text = op == Op::get ? select_row(dialect_, table) : select_row_for_update(dialect_, table);
      in = {table.primary_key};
      out_all = true;
      break;
    case Op::insert:
      text = insert_row(dialect_, table);
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (i != table.primary_key) in.push_back(i);
      }
      out_one = table.primary_key;
      break;
    case Op::update:
      text = locked_update(dialect_, table, assigned);
      in = assigned;
      in.push_back(table.primary_key);
      in.push_back(table.version);
      break;
    case Op::destroy:
      text = locked_destroy(dialect_, table);
      in = {table.primary_key, table.version};
      break;
    case Op::probe:
      text = version_probe(dialect_, table);
      in = {table.primary_key};
      out_one = table.version;
      break;
    case Op::increment:
    case Op::increment_checked:
      text = sql::increment(dialect_, table, assigned, op == Op::increment_checked);
      in = assigned;
      in.push_back(table.primary_key);
      in.push_back(table.version);
      out_all = true;
      break;
    case Op::begin:
    case Op::commit:
    case Op::rollback:
    case Op::savepoint:
    case Op::release_savepoint:
    case Op::rollback_to_savepoint:
      break;  // prepared by control()
  }

  auto p = std::make_unique<Prepared>();
  p->in.resize(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) p->in[i].type = table.columns[in[i]].type;
  p->in_column = in;
  if (out_all) {
    p->out.resize(table.columns.size());
    for (std::size_t i = 0; i < table.columns.size(); ++i) p->out[i].type = table.columns[i].type;
  } else if (out_one != no_column) {
    p->out.resize(1);
    p->out[0].type = table.columns[out_one].type;
  }
  p->statement = connector_->prepare(*c.session, text, p->in, p->out);
  return use(c.cache.emplace(key, std::move(p)).first->second.get());
}

Result<Row> SqlStore::get_on(Connection& c, const Table& table, std::int64_t key, bool lock) {
  return guarded(c, [&]() -> Result<Row> {
    Prepared& p = prepared(c, table, lock ? Op::get_for_update : Op::get, 0);
    p.in[0].set_integer(key);
    if (!p.statement->execute()) return failure(ErrorKind::not_found);
    Row row = read_row(p.out);
    p.statement->finish();
    return row;
  });
}

Result<std::int64_t> SqlStore::insert_on(Connection& c, const Table& table, const Row& row) {
  if (row.size() != table.columns.size()) {
    return failure(ErrorKind::internal, "row size does not match the table");
  }
  return guarded(c, [&]() -> Result<std::int64_t> {
    Prepared& p = prepared(c, table, Op::insert, 0);
    for (std::size_t i = 0; i < p.in.size(); ++i) {
      const std::size_t col = p.in_column[i];
      if (!set_slot(p.in[i], row[col])) return bad_value(table, col);
    }
    if (!p.statement->execute()) {
      return failure(ErrorKind::internal, "the insert returned no key");
    }
    const std::int64_t key = p.out[0].integer;
    p.statement->finish();
    return key;
  });
}

Result<std::int64_t> SqlStore::probe(Connection& c, const Table& table, std::int64_t key,
                                     std::int64_t expected, bool found_is_ok) {
  Prepared& p = prepared(c, table, Op::probe, 0);
  p.in[0].set_integer(key);
  if (!p.statement->execute()) return failure(ErrorKind::not_found);
  const std::int64_t stored = p.out[0].integer;
  p.statement->finish();
  if (stored == expected && found_is_ok) return stored;
  return stale(stored);
}

Result<std::int64_t> SqlStore::update_on(Connection& c, const Table& table, std::int64_t key,
                                         std::int64_t expected,
                                         std::span<const Assignment> changes) {
  std::uint64_t mask = 0;
  std::size_t bad = 0;
  if (!column_mask(table, changes, mask, bad)) return bad_column(table, bad);
  return guarded(c, [&]() -> Result<std::int64_t> {
    if (mask == 0) return probe(c, table, key, expected, true);
    Prepared& p = prepared(c, table, Op::update, mask);
    const bool single = changes.size() == 1;
    for (const Assignment& a : changes) {
      if (!set_slot(p.in[single ? 0 : rank(mask, a.column)], a.value)) {
        return bad_value(table, a.column);
      }
    }
    const std::size_t n = changes.size();
    p.in[n].set_integer(key);
    p.in[n + 1].set_integer(expected);
    p.statement->execute();
    if (p.statement->affected_rows() == 1) return expected + 1;
    return probe(c, table, key, expected, false);
  });
}

Result<Row> SqlStore::increment_on(Connection& c, const Table& table, std::int64_t key,
                                   std::span<const Increment> deltas,
                                   std::optional<std::int64_t> expected) {
  std::uint64_t mask = 0;
  std::size_t bad = 0;
  if (!column_mask(table, deltas, mask, bad)) return bad_column(table, bad);
  for (const Increment& d : deltas) {
    const ColumnType t = table.columns[d.column].type;
    const bool fits = (t == ColumnType::integer && std::holds_alternative<std::int64_t>(d.delta)) ||
                      (t == ColumnType::real && (std::holds_alternative<std::int64_t>(d.delta) ||
                                                 std::holds_alternative<double>(d.delta)));
    if (!fits) {
      return failure(ErrorKind::internal,
                     fmt::format("column {} cannot be incremented by that delta",
                                 table.columns[d.column].name));
    }
  }
  auto r = guarded(c, [&]() -> Result<Row> {
    const Op op = expected ? Op::increment_checked : Op::increment;
    Prepared& p = prepared(c, table, op, mask);
    for (const Increment& d : deltas) {
      (void)set_slot(p.in[rank(mask, d.column)], d.delta);
    }
    const std::size_t n = deltas.size();
    p.in[n].set_integer(key);
    p.in[n + 1].set_integer(expected.value_or(table.version_max));
    // The returned row, not affected_rows(): after RETURNING, SQLite reports a stale count.
    if (p.statement->execute()) {
      Row row = read_row(p.out);
      p.statement->finish();  // an unfinished UPDATE ... RETURNING keeps SQLite's write lock
      return row;
    }
    p.statement->finish();
    // No row: the record is gone or, checked, stale; unchecked, it is at the version limit.
    auto missed = probe(c, table, key, expected.value_or(0), false);
    if (!expected && !missed && missed.error().kind == ErrorKind::stale_record) {
      return version_limit_error(table);
    }
    return std::move(missed).error();
  });
  // An overflow the database reported without naming the column: it is an incremented
  // column of the type it names (the first, when several are incremented at once).
  if (!r) {
    const ColumnType type =
        r.error().detail == real_overflow ? ColumnType::real : ColumnType::integer;
    for (FieldError& f : r.error().fields) {
      if (!f.field.empty() || f.reason != FieldReason::out_of_range) continue;
      for (const Increment& d : deltas) {
        if (table.columns[d.column].type == type) {
          f.field = table.columns[d.column].name;
          break;
        }
      }
    }
  }
  return r;
}

Result<void> SqlStore::destroy_on(Connection& c, const Table& table, std::int64_t key,
                                  std::int64_t expected) {
  return guarded(c, [&]() -> Result<void> {
    Prepared& p = prepared(c, table, Op::destroy, 0);
    p.in[0].set_integer(key);
    p.in[1].set_integer(expected);
    p.statement->execute();
    if (p.statement->affected_rows() == 1) return ok();
    OPTIMIST_TRY(stored, probe(c, table, key, expected, false));
    (void)stored;
    return failure(ErrorKind::internal, "destroy removed no row");
  });
}

Result<void> SqlStore::reserve_keys_on(Connection& c, const Table& table, std::int64_t key) {
  return guarded(c, [&]() -> Result<void> {
    const std::string name = table.name;
    const long long seq = key;
    for (const std::string_view text : dialect_.reserve_keys) {
      soci::statement st =
          (c.session->prepare << std::string(text), soci::use(name), soci::use(seq));
      st.execute(true);
    }
    return ok();
  });
}

Result<void> SqlStore::control(Connection& c, Op op, std::size_t depth) {
  if (!c.session) return failure(ErrorKind::unavailable, "the connection was lost");
  return guarded(c, [&]() -> Result<void> {
    // Kept prepared like the rest: saves PostgreSQL a parse and a DEALLOCATE per transaction.
    const Connection::Key key{nullptr, op, depth};
    auto it = c.cache.find(key);
    if (it == c.cache.end()) {
      auto p = std::make_unique<Prepared>();
      std::string text;
      switch (op) {
        case Op::begin:
          text = dialect_.begin;
          break;
        case Op::commit:
          text = "COMMIT";
          break;
        case Op::savepoint:
          text = savepoint(depth);
          break;
        case Op::release_savepoint:
          text = release_savepoint(depth);
          break;
        case Op::rollback_to_savepoint:
          text = rollback_to_savepoint(depth);
          break;
        case Op::rollback:
        default:
          text = "ROLLBACK";
          break;
      }
      p->statement = connector_->prepare(*c.session, text, p->in, p->out);
      it = c.cache.emplace(key, std::move(p)).first;
    }
    it->second->statement->execute();
    return ok();
  });
}

namespace {

// Returns a leased connection to the pool when it goes out of scope.
struct Lease {
  SqlStore& store;
  Connection* c;
  ~Lease() { store.release(c); }
};

// The error of a failed lease. Out of line: taking it out of the Result inline (Boost.Outcome's
// checked observer) widens the frame of every do_update by 256 bytes.
[[gnu::noinline]] ErrorBox lease_error(Result<Connection*>& leased) {
  return std::move(leased).error();
}

}  // namespace

template <class T, class F>
Result<T> with_connection(SqlStore& store, F&& f) {
  Connection* c = store.ready_lease();
  if (c == nullptr) {
    auto leased = store.acquire();
    if (!leased) return lease_error(leased);
    c = leased.value();
  }
  const Lease lease{store, c};
  return f(*c);  // a prvalue: no copy of the Result (and of its Error) on the way out
}

Result<Row> SqlStore::do_get(const Table& table, std::int64_t key) {
  return with_connection<Row>(*this, [&](Connection& c) { return get_on(c, table, key); });
}

Result<std::int64_t> SqlStore::do_insert(const Table& table, const Row& row) {
  return with_connection<std::int64_t>(*this,
                                       [&](Connection& c) { return insert_on(c, table, row); });
}

Result<std::int64_t> SqlStore::do_update(const Table& table, std::int64_t key,
                                         std::int64_t expected_version,
                                         std::span<const Assignment> changes) {
  return with_connection<std::int64_t>(
      *this, [&](Connection& c) { return update_on(c, table, key, expected_version, changes); });
}

Result<Row> SqlStore::do_increment(const Table& table, std::int64_t key,
                                   std::span<const Increment> deltas,
                                   std::optional<std::int64_t> expected_version) {
  return with_connection<Row>(
      *this, [&](Connection& c) { return increment_on(c, table, key, deltas, expected_version); });
}

Result<void> SqlStore::do_destroy(const Table& table, std::int64_t key,
                                  std::int64_t expected_version) {
  return with_connection<void>(
      *this, [&](Connection& c) { return destroy_on(c, table, key, expected_version); });
}

Result<std::unique_ptr<Transaction>> SqlStore::do_begin() {
  OPTIMIST_TRY(c, acquire());
  auto r = control(*c, Op::begin);
  if (r && !dialect_.reserve_keys.empty()) {
    r = control(*c, Op::savepoint, 0);  // see SqlTransaction
    if (!r) (void)control(*c, Op::rollback);
  }
  if (!r) {
    release(c);
    return r.error();
  }
  return std::unique_ptr<Transaction>(std::make_unique<SqlTransaction>(*this, c));
}

Result<void> SqlStore::do_ensure_schema(const Table& table) {
  OPTIMIST_TRYV(table.validate());
  if (table.columns.size() > max_columns) {
    Error e = make_error(ErrorKind::invalid_definition,
                         fmt::format("table {} has more than {} columns, the SQL store's limit",
                                     table.name, max_columns));
    return e;
  }
  return with_connection<void>(*this, [&](Connection& c) { return ensure_schema_on(c, table); });
}

Result<void> SqlStore::ensure_schema_on(Connection& c, const Table& table) {
  std::set<std::string, std::less<>> stored;
  bool created = false;
  OPTIMIST_TRYV(guarded(c, [&]() -> Result<void> {
    soci::session& s = *c.session;
    const bool locked = !dialect_.schema_lock.empty();
    if (locked) {
      soci::statement begin = (s.prepare << "BEGIN");
      begin.execute(true);
      soci::statement lock = (s.prepare << std::string(dialect_.schema_lock));
      lock.execute(true);
    }
    try {
      std::string name = table.name;
      std::string column;
      soci::statement columns =
          (s.prepare << std::string(dialect_.stored_columns), soci::use(name), soci::into(column));
      const auto read_columns = [&] {
        if (!columns.execute(true)) return;
        do {
          stored.insert(column);
        } while (columns.fetch());
      };
      read_columns();
      if (stored.empty()) {
        soci::statement create = (s.prepare << create_table(dialect_, table));
        create.execute(true);
        created = true;
        read_columns();
      }
      if (locked) {
        soci::statement commit = (s.prepare << "COMMIT");
        commit.execute(true);
      }
    } catch (const soci::soci_error&) {
      if (locked) {
        try {
          soci::statement rollback = (s.prepare << "ROLLBACK");
          rollback.execute(true);
        } catch (const soci::soci_error&) {
          c.broken = true;
        }
      }
      throw;
    }
    return ok();
  }));
  if (created && dialect_.schema_work_spoils_connection) c.broken = true;
  std::vector<FieldError> missing;
  for (const Column& col : table.columns) {
    if (!stored.contains(col.name)) missing.push_back({col.name, FieldReason::missing_column});
  }
  if (missing.empty()) return ok();
  Error e =
      make_error(ErrorKind::invalid_definition,
                 fmt::format("the stored table {} lacks columns the definition needs", table.name));
  e.fields = std::move(missing);
  return e;
}

}  // namespace optimist::sql
