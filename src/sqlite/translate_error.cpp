// SPDX-License-Identifier: MIT
// SQLite errors to optimist errors, by result code. get_error_message() only: what() holds
// the bound values.
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include "sqlite/backend.hpp"

namespace optimist::sqlite {

namespace {

// The column of "UNIQUE constraint failed: table.column[, table.column2]".
std::string failed_column(const std::string& message) {
  static constexpr std::string_view marker = "constraint failed: ";
  auto at = message.find(marker);
  if (at == std::string::npos) return {};
  std::string rest = message.substr(at + marker.size());
  rest = rest.substr(0, rest.find_first_of(", \n"));
  const auto dot = rest.rfind('.');
  return dot == std::string::npos ? rest : rest.substr(dot + 1);
}

}  // namespace

sql::Translated translate_error(const soci::soci_error& e, bool connecting) {
  const std::string message = e.get_error_message();
  const auto* se = dynamic_cast<const soci::sqlite3_soci_error*>(&e);
  if (se == nullptr) {
    // Plain soci_error: SOCI's own checks, or the database file could not be opened.
    if (connecting) return {make_error(ErrorKind::unavailable, message), true};
    return {make_error(ErrorKind::internal, message), false};
  }
  const int code = se->result() & 0xff;  // the primary result code
  switch (code) {
    case SQLITE_CONSTRAINT: {
      const std::string column = failed_column(message);
      if (message.find("UNIQUE") != std::string::npos ||
          message.find("PRIMARY KEY") != std::string::npos) {
        Error err = make_error(ErrorKind::conflict);
        err.constraint = column;
        return {std::move(err), false};
      }
      if (message.find("CHECK") != std::string::npos) {
        // The only checks optimist creates keep integer columns integral and real ones
        // finite (see sql_text): a sum that overflowed.
        Error err = make_error(ErrorKind::invalid);
        err.fields.push_back({column, FieldReason::out_of_range});
        return {std::move(err), false};
      }
      if (message.find("NOT NULL") != std::string::npos) {
        Error err = make_error(ErrorKind::invalid);
        err.fields.push_back({column, FieldReason::required});
        return {std::move(err), false};
      }
      return {make_error(ErrorKind::internal, message), false};
    }
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {make_error(ErrorKind::unavailable, message), false};
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return {make_error(ErrorKind::unavailable, message), connecting};
    default:
      return {make_error(ErrorKind::internal, message), connecting};
  }
}

}  // namespace optimist::sqlite
