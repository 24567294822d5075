// SPDX-License-Identifier: MIT
// SQLite's cached statements, run through the sqlite3 API on the connection of the SOCI
// session, as PostgreSQL's run through libpq: a parameter is bound straight from its slot
// and a returned value read straight into one, with none of SOCI's type-erased bindings
// and copies on the way. Failures are thrown as sql::DatabaseFailure, read by
// database_error() in translate_error.cpp, as failures met through SOCI are.
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>
#include <type_traits>

#include "sql/sql_text.hpp"
#include "sqlite/backend.hpp"

namespace optimist::sqlite {

namespace {

// SOCI's header declares the sqlite3 API inside this namespace.
using namespace sqlite_api;  // NOLINT(google-build-using-namespace)
using sql::Slot;

// A value that is not of its column's type, say a column altered behind optimist's back: the
// same words as SOCI's.
[[noreturn]] void cannot_convert() {
  throw sql::DatabaseFailure(
      {.code = {}, .constraint = {}, .message = "Cannot convert data.", .lost = false});
}

class SqliteStatement final : public sql::Statement {
 public:
  SqliteStatement(sqlite3* db, const std::string& text, std::vector<Slot>& in,
                  std::vector<Slot>& out)
      : db_(db), in_(in), out_(out) {
    const std::string positional = sql::positional_placeholders(text, '?', false);
    const int rc =
        sqlite3_prepare_v3(db_, positional.c_str(), static_cast<int>(positional.size() + 1),
                           SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(rc);
  }

  // Statements are destroyed before their session is (Connection::reset).
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool execute() override {
    for (std::size_t i = 0; i < in_.size(); ++i) bind(static_cast<int>(i) + 1, in_[i]);
    return step();
  }

  bool next() override { return step(); }

  // The changed rows are counted when the statement ran to its end: for UPDATE ... RETURNING,
  // after finish().
  long long affected_rows() override { return affected_; }

  // Runs the statement to its end (an UPDATE ... RETURNING made its changes at its first
  // step already) and resets it, which lets go of its snapshot and its write lock.
  void finish() override {
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt_);
    affected_ = sqlite3_changes64(db_);
    if (rc != SQLITE_DONE) fail(rc);
    sqlite3_reset(stmt_);
  }

 private:
  // Binds slot `s` to parameter number `i`: text without a copy, valid until the statement
  // runs again (the slot is not changed while it runs).
  void bind(int i, Slot& s) {
    int rc = SQLITE_OK;
    if (s.indicator == soci::i_null) {
      rc = sqlite3_bind_null(stmt_, i);
    } else {
      s.visit([&](auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          rc = sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
        } else if constexpr (std::is_same_v<V, double>) {
          rc = sqlite3_bind_double(stmt_, i, v);
        } else {
          rc = sqlite3_bind_int64(stmt_, i, v);
        }
      });
    }
    if (rc != SQLITE_OK) fail(rc);
  }

  // Steps to the next row and reads it into the out slots; at the end, resets the statement,
  // letting go of its snapshot.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_DONE) {
      affected_ = sqlite3_changes64(db_);
      sqlite3_reset(stmt_);
      return false;
    }
    if (rc != SQLITE_ROW) fail(rc);
    if (sqlite3_column_count(stmt_) != static_cast<int>(out_.size())) cannot_convert();
    for (std::size_t i = 0; i < out_.size(); ++i) read(static_cast<int>(i), out_[i]);
    return true;
  }

  // Reads column `i` of the current row into `s`. Each sqlite3_column_* call takes and
  // releases the connection's mutex; sqlite3_column_value takes it once per column, and the
  // type and value are then read from the value without it. SQLite calls such a value
  // unprotected: reading it is safe while no other thread uses the connection, which holds
  // for every statement (one thread at a time, see sql::Statement). Before, the type and the
  // value (and a text's length) were each one call: 16 mutex round trips for a row of Tag,
  // now 7.
  void read(int i, Slot& s) {
    sqlite3_value* value = sqlite3_column_value(stmt_, i);
    const int type = sqlite3_value_type(value);
    if (type == SQLITE_NULL) {
      s.indicator = soci::i_null;
      return;
    }
    s.indicator = soci::i_ok;
    s.visit([&](auto& v) {
      using V = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<V, std::string>) {
        if (type != SQLITE_TEXT) cannot_convert();
        // The text first, then its length, as SQLite asks.
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
        v.assign(text, static_cast<std::size_t>(sqlite3_value_bytes(value)));
      } else if constexpr (std::is_same_v<V, double>) {
        if (type != SQLITE_FLOAT && type != SQLITE_INTEGER) cannot_convert();
        v = sqlite3_value_double(value);
      } else {
        if (type != SQLITE_INTEGER) cannot_convert();
        v = sqlite3_value_int64(value);
      }
    });
  }

  // Throws the failure `rc` (the statement's step or bind result), with the connection's
  // message, after resetting the statement so that it holds no snapshot.
  [[noreturn]] void fail(int rc) {
    sql::DatabaseError e =
        database_error(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_), false);
    if (rc == SQLITE_MISUSE || rc == SQLITE_RANGE)
      e = database_error(rc, sqlite3_errstr(rc), false);
    if (stmt_ != nullptr) sqlite3_reset(stmt_);
    throw sql::DatabaseFailure(std::move(e));
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::vector<Slot>& in_;
  std::vector<Slot>& out_;
  long long affected_ = 0;
};

}  // namespace

std::unique_ptr<sql::Statement> prepare_statement(soci::session& session, const std::string& text,
                                                  std::vector<Slot>& in, std::vector<Slot>& out) {
  // static_cast: the session was made by the sqlite3 factory (SqliteConnector), and SOCI does
  // not export the backend's type information for a dynamic_cast.
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  return std::make_unique<SqliteStatement>(backend->conn_, text, in, out);
}

}  // namespace optimist::sqlite
