// SPDX-License-Identifier: MIT
#include "memory/memory_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "memory/evaluate.hpp"
#include "version_limit.hpp"

namespace optimist {

namespace {

Error stale(std::int64_t stored) {
  Error e = make_error(ErrorKind::stale_record);
  e.stored_version = stored;
  return e;
}

bool same_columns(const Table& a, const Table& b) {
  if (a.columns.size() != b.columns.size() || a.primary_key != b.primary_key ||
      a.version != b.version) {
    return false;
  }
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    const Column& x = a.columns[i];
    const Column& y = b.columns[i];
    if (x.name != y.name || x.type != y.type || x.nullable != y.nullable) return false;
  }
  return true;
}

// True when `row` holds NULL in one of `columns`: such a row is in no index of them.
bool any_null(const Row& row, const std::vector<std::size_t>& columns) {
  return std::any_of(columns.begin(), columns.end(),
                     [&](std::size_t c) { return std::holds_alternative<std::monostate>(row[c]); });
}

bool same_values(const Row& a, const Row& b, const std::vector<std::size_t>& columns) {
  return std::all_of(columns.begin(), columns.end(), [&](std::size_t c) { return a[c] == b[c]; });
}

std::size_t combine(std::size_t seed, const Value& v) noexcept {
  return seed ^ (std::hash<Value>{}(v) + 0x9e3779b97f4a7c15U + (seed << 6) + (seed >> 2));
}

}  // namespace

std::size_t MemoryStore::ValuesHash::operator()(const std::vector<Value>& values) const noexcept {
  std::size_t seed = 0;
  for (const Value& v : values) seed = combine(seed, v);
  return seed;
}

std::size_t MemoryStore::ValuesHash::operator()(const RowValues& values) const noexcept {
  std::size_t seed = 0;
  for (std::size_t c : values.columns) seed = combine(seed, values.row[c]);
  return seed;
}

bool MemoryStore::ValuesEqual::operator()(const std::vector<Value>& a,
                                          const RowValues& b) const noexcept {
  if (a.size() != b.columns.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b.row[b.columns[i]]) return false;
  }
  return true;
}

/// A transaction on the memory store: holds the store's mutex for its whole life, applies
/// writes in place and keeps the rows they replaced to restore on rollback.
class MemoryTransaction final : public Transaction {
 public:
  MemoryTransaction(MemoryStore& store, std::unique_lock<std::mutex> lock)
      : Transaction(store.logger()), store_(store), lock_(std::move(lock)) {
    store_.owner_.store(std::this_thread::get_id());
  }
  ~MemoryTransaction() override {
    if (lock_.owns_lock()) (void)finish(/*commit=*/false);
  }

 protected:
  Result<Row> do_get(const Table& table, std::int64_t key) override {
    return store_.get_locked(table, key);
  }
  Result<std::vector<Row>> do_select(const Table& table, const Selection& selection) override {
    return store_.select_locked(table, selection);
  }
  Result<std::int64_t> do_count(const Table& table, const Condition& where) override {
    return store_.count_locked(table, where);
  }
  Result<std::int64_t> do_insert(const Table& table, const Row& row) override {
    return store_.insert_locked(table, row, &undo_);
  }
  Result<std::int64_t> do_update(const Table& table, std::int64_t key, std::int64_t expected,
                                 std::span<const Assignment> changes) override {
    return store_.update_locked(table, key, expected, changes, &undo_);
  }
  Result<Row> do_increment(const Table& table, std::int64_t key, std::span<const Increment> deltas,
                           std::optional<std::int64_t> expected) override {
    return store_.increment_locked(table, key, deltas, expected, &undo_);
  }
  Result<void> do_destroy(const Table& table, std::int64_t key, std::int64_t expected) override {
    return store_.destroy_locked(table, key, expected, &undo_);
  }
  Result<void> do_commit() override { return finish(true); }
  Result<void> do_rollback() override { return finish(false); }
  // A savepoint is a position in the undo log.
  Result<void> do_savepoint(std::size_t) override {
    marks_.push_back(undo_.size());
    return ok();
  }
  Result<void> do_release_savepoint(std::size_t) override {
    marks_.pop_back();
    return ok();
  }
  Result<void> do_rollback_to_savepoint(std::size_t) override {
    MemoryStore::restore(undo_, marks_.back());
    undo_.erase(undo_.begin() + static_cast<std::ptrdiff_t>(marks_.back()), undo_.end());
    marks_.pop_back();
    return ok();
  }

 private:
  Result<void> finish(bool commit) {
    if (!commit) MemoryStore::restore(undo_, 0);
    undo_.clear();
    store_.owner_.store(std::thread::id{});
    lock_.unlock();
    return ok();
  }

  MemoryStore& store_;
  std::unique_lock<std::mutex> lock_;
  std::vector<MemoryStore::Undo> undo_;
  std::vector<std::size_t> marks_;  // undo_.size() at each open savepoint
};

MemoryStore::MemoryStore(std::shared_ptr<spdlog::logger> logger) : Store(std::move(logger)) {}

MemoryStore::~MemoryStore() = default;

Result<std::unique_lock<std::mutex>> MemoryStore::lock() {
  if (owner_.load() == std::this_thread::get_id()) {
    return make_error(ErrorKind::unavailable,
                      "this thread holds a transaction on the store; use the transaction");
  }
  return std::unique_lock<std::mutex>(mutex_);
}

Result<MemoryStore::TableData*> MemoryStore::find(const Table& table) {
  if (auto it = by_schema_.find(&table); it != by_schema_.end()) return it->second;
  return make_error(ErrorKind::internal,
                    fmt::format("table {} was not registered with ensure_schema", table.name));
}

Result<Row> MemoryStore::get_locked(const Table& table, std::int64_t key) {
  OPTIMIST_TRY(data, find(table));
  auto it = data->rows.find(key);
  if (it == data->rows.end()) return make_error(ErrorKind::not_found);
  return it->second;
}

Result<std::vector<Row>> MemoryStore::select_locked(const Table& table,
                                                    const Selection& selection) {
  OPTIMIST_TRY(data, find(table));
  const std::vector<const Row*> kept = memory::select(data->rows, selection);
  std::vector<Row> rows;
  rows.reserve(kept.size());
  for (const Row* row : kept) rows.push_back(*row);
  return rows;
}

Result<std::int64_t> MemoryStore::count_locked(const Table& table, const Condition& where) {
  OPTIMIST_TRY(data, find(table));
  std::int64_t n = 0;
  for (const auto& [key, row] : data->rows) n += memory::matches(where, row) ? 1 : 0;
  return n;
}

Result<void> MemoryStore::check_unique(const TableData& data, const Row& row, std::int64_t key,
                                       const Row* before) {
  for (const IdentityIndex& index : data.identities) {
    if (any_null(row, index.columns)) continue;
    if (before && same_values(*before, row, index.columns)) continue;  // its own entry
    auto it = index.keys.find(RowValues{row, index.columns});
    if (it != index.keys.end() && it->second != key) {
      Error e = make_error(ErrorKind::conflict);
      e.constraint = index.name;
      return e;
    }
  }
  return ok();
}

Result<void> MemoryStore::add_index(TableData& data, const Identity& identity) {
  IdentityIndex index{.name = identity.name, .columns = identity.columns, .keys = {}};
  for (const auto& [key, row] : data.rows) {
    if (any_null(row, index.columns)) continue;
    std::vector<Value> values;
    for (std::size_t c : index.columns) values.push_back(row[c]);
    if (!index.keys.emplace(std::move(values), key).second) {
      Error e = make_error(ErrorKind::conflict);
      e.constraint = identity.name;
      return e;
    }
  }
  data.identities.push_back(std::move(index));
  return ok();
}

void MemoryStore::unindex(IdentityIndex& index, const Row& row) {
  if (any_null(row, index.columns)) return;
  if (auto it = index.keys.find(RowValues{row, index.columns}); it != index.keys.end()) {
    index.keys.erase(it);
  }
}

void MemoryStore::put(TableData& data, std::int64_t key, Row row) {
  auto [it, inserted] = data.rows.try_emplace(key);
  for (IdentityIndex& index : data.identities) {
    if (!inserted) {
      if (same_values(it->second, row, index.columns)) continue;
      unindex(index, it->second);
    }
    if (any_null(row, index.columns)) continue;
    std::vector<Value> values;
    values.reserve(index.columns.size());
    for (std::size_t c : index.columns) values.push_back(row[c]);
    index.keys.insert_or_assign(std::move(values), key);
  }
  it->second = std::move(row);
}

void MemoryStore::erase(TableData& data, std::int64_t key) {
  auto it = data.rows.find(key);
  if (it == data.rows.end()) return;
  for (IdentityIndex& index : data.identities) unindex(index, it->second);
  data.rows.erase(it);
}

void MemoryStore::restore(std::vector<Undo>& undo, std::size_t from) {
  for (auto it = undo.rbegin(); it != undo.rend() - static_cast<std::ptrdiff_t>(from); ++it) {
    if (it->before) {
      put(*it->data, it->key, std::move(*it->before));
    } else {
      erase(*it->data, it->key);
    }
  }
}

Result<std::int64_t> MemoryStore::insert_locked(const Table& table, const Row& row,
                                                std::vector<Undo>* undo) {
  OPTIMIST_TRY(data, find(table));
  if (row.size() != table.columns.size()) {
    return make_error(ErrorKind::internal, "row size does not match the table");
  }
  const std::int64_t key = data->next_key;
  OPTIMIST_TRYV(check_unique(*data, row, key, nullptr));
  Row stored = row;
  stored[table.primary_key] = key;
  ++data->next_key;
  put(*data, key, std::move(stored));
  if (undo) undo->push_back({data, key, std::nullopt});
  return key;
}

Result<std::int64_t> MemoryStore::update_locked(const Table& table, std::int64_t key,
                                                std::int64_t expected,
                                                std::span<const Assignment> changes,
                                                std::vector<Undo>* undo) {
  OPTIMIST_TRY(data, find(table));
  auto it = data->rows.find(key);
  if (it == data->rows.end()) return make_error(ErrorKind::not_found);
  Row& row = it->second;
  const std::int64_t stored = std::get<std::int64_t>(row[table.version]);
  if (stored != expected) return stale(stored);
  if (changes.empty()) return stored;

  Row next = row;
  for (const Assignment& a : changes) next[a.column] = a.value;
  next[table.version] = stored + 1;
  if (!data->identities.empty()) {
    OPTIMIST_TRYV(check_unique(*data, next, key, &row));
  }
  if (undo) undo->push_back({data, key, row});
  if (data->identities.empty()) {
    row = std::move(next);  // the hot path: no index to maintain
  } else {
    put(*data, key, std::move(next));
  }
  return stored + 1;
}

Result<Row> MemoryStore::increment_locked(const Table& table, std::int64_t key,
                                          std::span<const Increment> deltas,
                                          std::optional<std::int64_t> expected,
                                          std::vector<Undo>* undo) {
  OPTIMIST_TRY(data, find(table));
  auto it = data->rows.find(key);
  if (it == data->rows.end()) return make_error(ErrorKind::not_found);
  Row& row = it->second;
  const std::int64_t stored = std::get<std::int64_t>(row[table.version]);
  if (expected && stored != *expected) return stale(stored);
  if (stored >= table.version_max) return version_limit_error(table);
  Row next = row;
  for (const Increment& d : deltas) {
    Value& v = next[d.column];
    auto* i = std::get_if<std::int64_t>(&v);
    auto* di = std::get_if<std::int64_t>(&d.delta);
    auto* r = std::get_if<double>(&v);
    auto* dr = std::get_if<double>(&d.delta);
    bool fits = true;
    if (i && di) {
      fits = !__builtin_add_overflow(*i, *di, i);
    } else if (r && (dr || di)) {
      *r += dr ? *dr : static_cast<double>(*di);
      fits = std::isfinite(*r);
    } else {
      return make_error(ErrorKind::internal,
                        fmt::format("column {} cannot be incremented by that delta",
                                    table.columns[d.column].name));
    }
    if (!fits) {
      Error e = make_error(ErrorKind::invalid);
      e.fields.push_back({table.columns[d.column].name, FieldReason::out_of_range});
      return e;
    }
  }
  next[table.version] = stored + 1;
  OPTIMIST_TRYV(check_unique(*data, next, key, &row));
  if (undo) undo->push_back({data, key, row});
  put(*data, key, next);
  return next;
}

Result<void> MemoryStore::destroy_locked(const Table& table, std::int64_t key,
                                         std::int64_t expected, std::vector<Undo>* undo) {
  OPTIMIST_TRY(data, find(table));
  auto it = data->rows.find(key);
  if (it == data->rows.end()) return make_error(ErrorKind::not_found);
  const std::int64_t stored = std::get<std::int64_t>(it->second[table.version]);
  if (stored != expected) return stale(stored);
  if (undo) undo->push_back({data, key, it->second});
  erase(*data, key);
  return ok();
}

Result<Row> MemoryStore::do_get(const Table& table, std::int64_t key) {
  auto guard = lock();
  if (!guard) return guard.error();
  return get_locked(table, key);
}

Result<std::vector<Row>> MemoryStore::do_select(const Table& table, const Selection& selection) {
  auto guard = lock();
  if (!guard) return guard.error();
  return select_locked(table, selection);
}

Result<std::int64_t> MemoryStore::do_count(const Table& table, const Condition& where) {
  auto guard = lock();
  if (!guard) return guard.error();
  return count_locked(table, where);
}

Result<std::int64_t> MemoryStore::do_insert(const Table& table, const Row& row) {
  auto guard = lock();
  if (!guard) return guard.error();
  return insert_locked(table, row, nullptr);
}

Result<std::int64_t> MemoryStore::do_update(const Table& table, std::int64_t key,
                                            std::int64_t expected_version,
                                            std::span<const Assignment> changes) {
  auto guard = lock();
  if (!guard) return guard.error();
  return update_locked(table, key, expected_version, changes, nullptr);
}

Result<Row> MemoryStore::do_increment(const Table& table, std::int64_t key,
                                      std::span<const Increment> deltas,
                                      std::optional<std::int64_t> expected_version) {
  auto guard = lock();
  if (!guard) return guard.error();
  return increment_locked(table, key, deltas, expected_version, nullptr);
}

Result<void> MemoryStore::do_destroy(const Table& table, std::int64_t key,
                                     std::int64_t expected_version) {
  auto guard = lock();
  if (!guard) return guard.error();
  return destroy_locked(table, key, expected_version, nullptr);
}

Result<std::unique_ptr<Transaction>> MemoryStore::do_begin() {
  auto guard = lock();
  if (!guard) return guard.error();
  return std::unique_ptr<Transaction>(
      std::make_unique<MemoryTransaction>(*this, std::move(guard).value()));
}

Result<void> MemoryStore::do_ensure_schema(const Table& table) {
  auto guard = lock();
  if (!guard) return guard.error();
  auto [it, inserted] = tables_.try_emplace(table.name);
  TableData& data = it->second;
  if (!inserted && !same_columns(*data.schema, table)) {
    Error e =
        make_error(ErrorKind::invalid_definition,
                   fmt::format("table {} is already registered with other columns", table.name));
    return e;
  }
  if (inserted) data.schema = &table;
  // As the SQL stores create the missing unique indexes of a table that exists: a table that
  // another definition registered gets the identities it lacks, named as in `table`.
  for (const Identity& identity : table.identities) {
    const bool indexed =
        std::any_of(data.identities.begin(), data.identities.end(),
                    [&](const IdentityIndex& i) { return i.name == identity.name; });
    if (!indexed) {
      OPTIMIST_TRYV(add_index(data, identity));
    }
  }
  by_schema_[&table] = &data;
  return ok();
}

}  // namespace optimist
