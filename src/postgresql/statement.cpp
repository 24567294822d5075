// SPDX-License-Identifier: MIT
// PostgreSQL's cached statements, run through libpq directly on the connection of the SOCI
// session. Every call of the data layer runs one or two of them, and SOCI's way adds a good
// part of the client's work to each: it copies every parameter into a buffer of its own,
// formats integers with snprintf (about 700 instructions a value), and reads each returned
// value through its type-erased bindings. Here a parameter is the slot's text, or
// its number written with std::to_chars, and a returned value is read straight from the
// result. On the client a get-and-update took 12.2 k instructions this way, 16.7 k through
// SOCI (callgrind, see docs/performance.md).
//
// Failures are thrown as sql::DatabaseFailure, with the SQLSTATE and the server's message,
// read by database_error() in translate_error.cpp, as failures met through SOCI are.
#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>

#include <array>
#include <atomic>
#include <charconv>
#include <cstring>
#include <string>
#include <type_traits>

#include "postgresql/backend.hpp"
#include "sql/sql_text.hpp"

namespace optimist::postgresql {

namespace {

using sql::Slot;

struct ClearResult {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ClearResult>;

// Names the server-side statements: unique in the process, hence on every connection.
std::atomic<std::uint64_t> next_statement{1};

// A value that is not the text its column's type writes, say a column altered to another
// type behind optimist's back: the same words as SOCI's.
[[noreturn]] void cannot_convert() {
  throw sql::DatabaseFailure(
      {.code = {}, .constraint = {}, .message = "Cannot convert data.", .lost = false});
}

class PgStatement final : public sql::Statement {
 public:
  PgStatement(PGconn* conn, std::string_view password, const std::string& text,
              std::vector<Slot>& in, std::vector<Slot>& out)
      : conn_(conn),
        password_(password),
        in_(in),
        out_(out),
        name_(fmt::format("optimist_{}", next_statement.fetch_add(1))),
        values_(in.size()),
        digits_(in.size()),
        commit_(text == "COMMIT") {
    const std::string numbered = sql::positional_placeholders(text, '$', true);
    ResultPtr r(PQprepare(conn_, name_.c_str(), numbered.c_str(), 0, nullptr));
    if (r == nullptr || PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(r.get());
  }

  // The server drops the statement with the session; statements are destroyed only before
  // their session is (Connection::reset), so no DEALLOCATE is sent.
  ~PgStatement() override = default;
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;

  bool execute() override {
    rows_.reset();
    for (std::size_t i = 0; i < in_.size(); ++i) values_[i] = parameter(i);
    ResultPtr r(PQexecPrepared(conn_, name_.c_str(), static_cast<int>(in_.size()), values_.data(),
                               nullptr, nullptr, 0));
    if (r == nullptr) fail(nullptr);
    const ExecStatusType status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r.get());
    // The server answers COMMIT in a transaction that an error aborted with ROLLBACK, and no
    // error: the writes before the error are gone, and the caller must not hear otherwise.
    if (commit_ && std::strcmp(PQcmdStatus(r.get()), "ROLLBACK") == 0) {
      throw sql::DatabaseFailure(database_error(
          "25P02", "the transaction was rolled back, not committed: a statement in it had failed",
          false, {}));
    }
    affected_ = 0;
    const char* tuples = PQcmdTuples(r.get());
    (void)std::from_chars(tuples, tuples + std::strlen(tuples), affected_);
    if (status != PGRES_TUPLES_OK || PQntuples(r.get()) == 0) return false;
    if (PQnfields(r.get()) != static_cast<int>(out_.size())) cannot_convert();
    read_row(r.get(), 0);
    // The whole result is on the client: next() reads the rows after the first from it.
    rows_ = PQntuples(r.get()) > 1 ? std::move(r) : nullptr;
    row_ = 0;
    return true;
  }

  void discard() noexcept override {
    const std::string deallocate = "DEALLOCATE " + name_;
    PQclear(PQexec(conn_, deallocate.c_str()));
  }

  bool next() override {
    if (rows_ == nullptr) return false;
    if (++row_ >= PQntuples(rows_.get())) {
      rows_.reset();
      return false;
    }
    read_row(rows_.get(), row_);
    return true;
  }

  long long affected_rows() override { return affected_; }

  // execute() has read the whole result already.
  void finish() override { rows_.reset(); }

 private:
  // The text of parameter `i` (null for NULL), valid until the slot or `i`'s digits change.
  // Numbers are written with std::to_chars: for a double, the shortest text that reads back
  // as the same value ("inf", "-inf" and "nan" are accepted by the server's float8 input).
  const char* parameter(std::size_t i) {
    Slot& s = in_[i];
    if (s.indicator == soci::i_null) return nullptr;
    const char* text = nullptr;
    s.visit([&](auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
        text = v.c_str();
      } else {
        char* first = digits_[i].data();
        char* last = first + digits_[i].size() - 1;  // room for the terminating NUL
        *std::to_chars(first, last, v).ptr = '\0';
        text = first;
      }
    });
    return text;
  }

  void read_row(const PGresult* r, int row) {
    for (std::size_t i = 0; i < out_.size(); ++i) read(r, row, static_cast<int>(i), out_[i]);
  }

  // Reads column `i` of row `row` of the result into `s`. Numbers are read with
  // std::from_chars, which also reads the server's "Infinity", "-Infinity" and "NaN".
  static void read(const PGresult* r, int row, int i, Slot& s) {
    if (PQgetisnull(r, row, i) != 0) {
      s.indicator = soci::i_null;
      return;
    }
    s.indicator = soci::i_ok;
    const char* value = PQgetvalue(r, row, i);
    const char* end = value + PQgetlength(r, row, i);
    s.visit([&](auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
        v.assign(value, end);
      } else if (const auto parsed = std::from_chars(value, end, v);
                 parsed.ec != std::errc{} || parsed.ptr != end) {
        cannot_convert();
      }
    });
  }

  // Throws the failure of result `r`, or of the connection when there is no result.
  [[noreturn]] void fail(const PGresult* r) const {
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const bool has_state = state != nullptr && std::strlen(state) == 5;
    throw sql::DatabaseFailure(
        database_error(has_state ? std::string(state) : std::string(),
                       r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_),
                       PQstatus(conn_) != CONNECTION_OK, password_));
  }

  PGconn* conn_;
  std::string_view password_;  // the connector's, which outlives every statement
  std::vector<Slot>& in_;
  std::vector<Slot>& out_;
  std::string name_;
  std::vector<const char*> values_;
  // Where integer and real parameters are written: 24 bytes hold the longest of either
  // ("-9223372036854775808", "-2.2250738585072014e-308") with its NUL.
  std::vector<std::array<char, 32>> digits_;
  bool commit_;     // the statement is COMMIT
  ResultPtr rows_;  // a result of several rows, while next() reads them
  int row_ = 0;     // the row of rows_ read last
  long long affected_ = 0;
};

}  // namespace

std::unique_ptr<sql::Statement> prepare_statement(soci::session& session, std::string_view password,
                                                  const std::string& text, std::vector<Slot>& in,
                                                  std::vector<Slot>& out) {
  // static_cast: the session was made by the postgresql factory (PostgresConnector), and SOCI
  // does not export the backend's type information for a dynamic_cast.
  auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
  return std::make_unique<PgStatement>(backend->conn_, password, text, in, out);
}

}  // namespace optimist::postgresql
