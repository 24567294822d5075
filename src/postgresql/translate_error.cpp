// SPDX-License-Identifier: MIT
// PostgreSQL errors to optimist errors, by SQLSTATE. SOCI's categories are unreliable and
// what() holds the bound values; the server's DETAIL lines can hold row values too, so only
// the primary message is passed on.
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

// The column of a unique violation: "Key (county)=(...)" names it; only the name is kept.
std::string unique_column(const std::string& message) {
  auto at = message.find("Key (");
  if (at != std::string::npos) {
    auto end = message.find(")=", at);
    if (end != std::string::npos) {
      std::string columns = message.substr(at + 5, end - at - 5);
      return columns.substr(0, columns.find(','));
    }
  }
  return quoted_after(message, "unique constraint");
}

bool connection_class(std::string_view state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

}  // namespace

sql::Translated translate_error(const soci::soci_error& e, soci::session* session,
                                std::string_view password) {
  const std::string message = e.get_error_message();
  const auto* pe = dynamic_cast<const soci::postgresql_soci_error*>(&e);
  const std::string state = pe != nullptr ? pe->sqlstate() : std::string();

  // Whatever the code, a session that is no longer connected must be rebuilt, and the call
  // may be retried once the server is back.
  const bool lost = session == nullptr || connection_class(state) || !session->is_connected();
  if (lost) {
    return {make_error(ErrorKind::unavailable, primary_message(message, password)), true};
  }
  if (state == "23505") {
    Error err = make_error(ErrorKind::conflict);
    err.constraint = unique_column(message);
    return {std::move(err), false};
  }
  if (state == "23502") {
    Error err = make_error(ErrorKind::invalid);
    err.fields.push_back({quoted_after(message, "column"), FieldReason::required});
    return {std::move(err), false};
  }
  if (state == "22003") {
    // "bigint out of range" or "value out of range: overflow" (a double) names no column; the
    // SQL store fills it in from the statement, by the type that `detail` names.
    const bool integer = message.find("bigint") != std::string::npos;
    Error err =
        make_error(ErrorKind::invalid, integer ? sql::integer_overflow : sql::real_overflow);
    err.fields.push_back({std::string(), FieldReason::out_of_range});
    return {std::move(err), false};
  }
  // Serialization failure, deadlock, lock not available, statement timeout: retry.
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014") {
    return {make_error(ErrorKind::unavailable, primary_message(message, password)), false};
  }
  return {make_error(ErrorKind::internal, primary_message(message, password)), false};
}

}  // namespace optimist::postgresql
