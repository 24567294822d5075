// SPDX-License-Identifier: MIT
// SQLite errors to optimist errors, by result code: the one place SQLite's codes are read.
// get_error_message() only: what() holds the bound values.
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <string>

#include "sqlite/backend.hpp"

namespace optimist::sqlite {

namespace {

// The columns of "UNIQUE constraint failed: table.column[, table.column2]", without the
// table: "column, column2". The SQL store maps them to the identity (sql::name_identity).
std::string failed_columns(const std::string& message) {
  static constexpr std::string_view marker = "constraint failed: ";
  auto at = message.find(marker);
  if (at == std::string::npos) return {};
  const std::string_view rest = std::string_view(message).substr(at + marker.size());
  std::string_view list = rest.substr(0, rest.find('\n'));
  while (!list.empty() && (list.back() == ' ' || list.back() == '\r')) list.remove_suffix(1);
  std::string out;
  for (std::size_t from = 0; from < list.size();) {
    std::size_t to = list.find(", ", from);
    if (to == std::string_view::npos) to = list.size();
    std::string_view name = list.substr(from, to - from);
    if (const auto dot = name.rfind('.'); dot != std::string_view::npos)
      name.remove_prefix(dot + 1);
    if (!out.empty()) out += ", ";
    out += name;
    from = to + 2;
  }
  return out;
}

}  // namespace

sql::DatabaseError database_error(int code, std::string message, bool lost) {
  sql::DatabaseError out;
  out.code = std::to_string(code & 0xff);  // the primary result code
  out.constraint = failed_columns(message);
  out.message = std::move(message);
  out.lost = lost;
  return out;
}

sql::DatabaseError describe_error(const soci::soci_error& e, bool connecting) {
  if (const auto* se = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    return database_error(se->result(), e.get_error_message(), connecting);
  }
  // A plain soci_error (no code): SOCI's own checks, or the database file could not be opened.
  return {.code = {}, .constraint = {}, .message = e.get_error_message(), .lost = connecting};
}

sql::Translated translate_error(const sql::DatabaseError& e) {
  if (e.code.empty()) {
    return {make_error(e.lost ? ErrorKind::unavailable : ErrorKind::internal, e.message), e.lost};
  }
  switch (std::stoi(e.code)) {
    case SQLITE_CONSTRAINT: {
      if (e.message.find("UNIQUE") != std::string::npos ||
          e.message.find("PRIMARY KEY") != std::string::npos) {
        Error err = make_error(ErrorKind::conflict);
        err.constraint = e.constraint;
        return {std::move(err), false};
      }
      if (e.message.find("CHECK") != std::string::npos) {
        // The only checks optimist creates keep integer columns integral and real ones
        // finite (see dialect.cpp): a sum that overflowed.
        Error err = make_error(ErrorKind::invalid);
        err.fields.push_back({e.constraint, FieldReason::out_of_range});
        return {std::move(err), false};
      }
      if (e.message.find("NOT NULL") != std::string::npos) {
        Error err = make_error(ErrorKind::invalid);
        err.fields.push_back({e.constraint, FieldReason::required});
        return {std::move(err), false};
      }
      return {make_error(ErrorKind::internal, e.message), false};
    }
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {make_error(ErrorKind::unavailable, e.message), false};
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return {make_error(ErrorKind::unavailable, e.message), e.lost};
    default:
      return {make_error(ErrorKind::internal, e.message), e.lost};
  }
}

}  // namespace optimist::sqlite
