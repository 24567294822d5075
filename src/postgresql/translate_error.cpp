// SPDX-License-Identifier: MIT
// PostgreSQL errors to optimist errors, by SQLSTATE: the one place PostgreSQL's codes are
// read, for failures met through SOCI and through libpq alike. SOCI's categories are
// unreliable and what() holds the bound values; the server's DETAIL lines can hold row values too,
// so only the primary message is passed on.
#include <soci/postgresql/soci-postgresql.h>

#include "postgresql/backend.hpp"

namespace optimist::postgresql {

namespace {

// The first line of the server's message, without DETAIL/HINT lines (they may quote values)
// and with the password masked should libpq ever echo it.
std::string primary_message(std::string message, std::string_view password) {
  if (auto detail = message.find("DETAIL:"); detail != std::string::npos) message.resize(detail);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  if (!password.empty()) {
    for (auto at = message.find(password); at != std::string::npos;
         at = message.find(password, at + 3)) {
      message.replace(at, password.size(), "***");
    }
  }
  return message;
}

// The text between the first pair of double quotes after `after` in `message`.
std::string quoted_after(const std::string& message, std::string_view after) {
  auto at = message.find(after);
  if (at == std::string::npos) return {};
  auto open = message.find('"', at + after.size());
  if (open == std::string::npos) return {};
  auto close = message.find('"', open + 1);
  if (close == std::string::npos) return {};
  return message.substr(open + 1, close - open - 1);
}

// The index of a unique violation: `... violates unique constraint "tags_name_key"` on a
// write, `could not create unique index "tags_name_key"` when stored rows already repeat
// values. The SQL store maps it to the identity (sql::name_identity).
std::string unique_index(const std::string& message) {
  std::string index = quoted_after(message, "unique constraint");
  return index.empty() ? quoted_after(message, "unique index") : index;
}

bool connection_class(std::string_view state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

}  // namespace

sql::DatabaseError database_error(std::string code, const std::string& message, bool lost,
                                  std::string_view password) {
  sql::DatabaseError out;
  // Whatever the code, a session that is no longer connected must be rebuilt, and the call
  // may be retried once the server is back.
  out.lost = lost || connection_class(code);
  if (code == "23505") out.constraint = unique_index(message);
  if (code == "23502") out.constraint = quoted_after(message, "column");
  out.code = std::move(code);
  out.message = primary_message(message, password);
  return out;
}

sql::DatabaseError describe_error(const soci::soci_error& e, soci::session* session,
                                  std::string_view password) {
  const auto* pe = dynamic_cast<const soci::postgresql_soci_error*>(&e);
  return database_error(pe != nullptr ? pe->sqlstate() : std::string(), e.get_error_message(),
                        session == nullptr || !session->is_connected(), password);
}

sql::Translated translate_error(const sql::DatabaseError& e) {
  const std::string& state = e.code;
  if (e.lost) return {make_error(ErrorKind::unavailable, e.message), true};
  if (state == "23505") {
    Error err = make_error(ErrorKind::conflict);
    err.constraint = e.constraint;
    return {std::move(err), false};
  }
  if (state == "23502") {
    Error err = make_error(ErrorKind::invalid);
    err.fields.push_back({e.constraint, FieldReason::required});
    return {std::move(err), false};
  }
  if (state == "22003") {
    // "bigint out of range" or "value out of range: overflow" (a double) names no column; the
    // SQL store fills it in from the statement, by the type that `detail` names.
    const bool integer = e.message.find("bigint") != std::string::npos;
    Error err =
        make_error(ErrorKind::invalid, integer ? sql::integer_overflow : sql::real_overflow);
    err.fields.push_back({std::string(), FieldReason::out_of_range});
    return {std::move(err), false};
  }
  // Serialization failure, deadlock, lock not available, statement timeout: retry.
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014") {
    return {make_error(ErrorKind::unavailable, e.message), false};
  }
  return {make_error(ErrorKind::internal, e.message), false};
}

}  // namespace optimist::postgresql
