// SPDX-License-Identifier: MIT
// A failure as a database reported it, before it becomes an optimist Error: one type for
// every backend, whichever way its statements run (through SOCI or a client library).
#pragma once

#include <exception>
#include <string>
#include <utility>

namespace optimist::sql {

/// What a database said about a failure.
struct DatabaseError {
  /// The backend's own code: PostgreSQL's SQLSTATE ("23505"), SQLite's primary result code
  /// ("19"); empty when the failure came from the client side (say, a value that does not
  /// convert).
  std::string code;
  /// The constraint the failure names, when the backend gives it: a column (NOT NULL, a
  /// check); for a unique violation its columns ("owner_id, name") or its index's name.
  std::string constraint;
  /// The database's primary message: never bound values, never a password.
  std::string message;
  /// The connection is gone, or never came up: rebuild it before its next use.
  bool lost = false;
};

/// Thrown by a dialect's own statement path with the failure it met.
class DatabaseFailure : public std::exception {
 public:
  explicit DatabaseFailure(DatabaseError error) : error_(std::move(error)) {}
  [[nodiscard]] const DatabaseError& error() const noexcept { return error_; }
  [[nodiscard]] const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  DatabaseError error_;
};

}  // namespace optimist::sql
