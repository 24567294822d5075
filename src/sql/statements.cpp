// SPDX-License-Identifier: MIT
// The SQL store's statement cache: preparing each statement once per connection, with its
// value slots bound once, and running transaction control through the same cache.
#include <fmt/format.h>

#include "sql/binding.hpp"
#include "sql/operations.hpp"

namespace optimist::sql {

namespace {

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
  bool next() override { return statement_.fetch(); }
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

constexpr std::size_t no_column = static_cast<std::size_t>(-1);

}  // namespace

std::unique_ptr<Statement> Connector::prepare(soci::session& session, const std::string& text,
                                              std::vector<Slot>& in, std::vector<Slot>& out) const {
  return std::make_unique<SociStatement>(session, text, in, out);
}

// The operations build their errors out of line and pass them on as an ErrorBox, one
// pointer: the stack frames of get and update, which every call runs through, then hold no
// Error (272 bytes), and the SOCI and libpq code they call runs on a shallower stack.
detail::ErrorBox failure(ErrorKind kind, std::string detail) {
  return make_error(kind, std::move(detail));
}

detail::ErrorBox unexpected_failure() {
  return failure(ErrorKind::internal, "unexpected failure in the SQL store");
}

detail::ErrorBox Operations::fail(Connection& c, const soci::soci_error& e) {
  return fail(c, connector_.describe(e, c.session.get()));
}

detail::ErrorBox Operations::fail(Connection& c, const DatabaseError& e) {
  Translated t = connector_.translate(e);
  if (t.broken) {
    c.broken = true;
    losses_.fetch_add(1, std::memory_order_relaxed);
  }
  // Prepared again on next use.
  if (dialect_.failure_spoils_statements) c.clear_statements();
  return std::move(t.error);
}

Prepared& Operations::lookup_or_prepare(Connection& c, const Connection::Key& key) {
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
  p->statement = connector_.prepare(*c.session, text, p->in, p->out);
  return use(c.cache.emplace(key, std::move(p)).first->second.get());
}

Prepared& Operations::query(Connection& c, const Table& table, const BoundText& q,
                            bool all_columns) {
  auto it = c.queries.find(q.text);
  if (it == c.queries.end()) {
    if (c.queries.size() >= Connection::max_queries) {
      // Full: start over rather than keep an order of use on every call. The shapes still
      // in use are prepared again on their next call.
      for (auto& [text, p] : c.queries) p->statement->discard();
      c.queries.clear();
    }
    auto p = std::make_unique<Prepared>();
    p->in.resize(q.values.size());
    for (std::size_t i = 0; i < q.values.size(); ++i) {
      // The value's own type: a column's, or an integer for LIMIT and OFFSET.
      static constexpr ColumnType by_index[] = {ColumnType::text, ColumnType::integer,
                                                ColumnType::real, ColumnType::boolean,
                                                ColumnType::text};
      p->in[i].type = by_index[q.values[i].index()];
    }
    if (all_columns) {
      p->out.resize(table.columns.size());
      for (std::size_t i = 0; i < table.columns.size(); ++i) p->out[i].type = table.columns[i].type;
    } else {
      p->out.resize(1);
      p->out[0].type = ColumnType::integer;
    }
    p->statement = connector_.prepare(*c.session, q.text, p->in, p->out);
    it = c.queries.emplace(q.text, std::move(p)).first;
  }
  Prepared& p = *it->second;
  for (std::size_t i = 0; i < q.values.size(); ++i) (void)set_slot(p.in[i], q.values[i]);
  return p;
}

Result<void> Operations::control(Connection& c, Op op, std::size_t depth) {
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
      p->statement = connector_.prepare(*c.session, text, p->in, p->out);
      it = c.cache.emplace(key, std::move(p)).first;
    }
    it->second->statement->execute();
    return ok();
  });
}

Result<void> Operations::reserve_keys(Connection& c, const Table& table, std::int64_t key) {
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

}  // namespace optimist::sql
