// SPDX-License-Identifier: MIT
#include "sql/sql_text.hpp"

namespace optimist::sql {

namespace {

// Identifiers are validated before any SQL is built, so quoting never needs escaping.
void quoted(std::string& out, std::string_view name, char quote) {
  out += quote;
  out += name;
  out += quote;
}

void placeholder(std::string& out, std::string_view name) {
  out += ':';
  out += name;
}

void column_list(std::string& out, const Dialect& d, const Table& t) {
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (i != 0) out += ", ";
    quoted(out, t.columns[i].name, d.quote);
  }
}

// ` WHERE "id" = :id`, then ` AND "version" <op> :version` when `version_op` is given.
void where_key(std::string& out, const Dialect& d, const Table& t,
               std::string_view version_op = {}) {
  const std::string& key = t.columns[t.primary_key].name;
  out += " WHERE ";
  quoted(out, key, d.quote);
  out += " = ";
  placeholder(out, key);
  if (!version_op.empty()) {
    const std::string& version = t.columns[t.version].name;
    out += " AND ";
    quoted(out, version, d.quote);
    out += version_op;
    placeholder(out, version);
  }
}

void bump_version(std::string& out, const Dialect& d, const Table& t) {
  const std::string& version = t.columns[t.version].name;
  quoted(out, version, d.quote);
  out += " = ";
  quoted(out, version, d.quote);
  out += " + 1";
}

}  // namespace

std::string create_table(const Dialect& d, const Table& t) {
  std::string out = "CREATE TABLE IF NOT EXISTS ";
  quoted(out, t.name, d.quote);
  out += " (";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const Column& c = t.columns[i];
    if (i != 0) out += ", ";
    quoted(out, c.name, d.quote);
    out += ' ';
    if (i == t.primary_key) {
      out += d.key_column;
      continue;
    }
    out += d.types[static_cast<std::size_t>(c.type)];
    if (!c.nullable || i == t.version) out += " NOT NULL";
    if (d.column_checks != nullptr) d.column_checks(out, c, i == t.version);
  }
  out += ')';
  return out;
}

std::string create_unique_index(const Dialect& d, const Table& t, const Identity& identity) {
  std::string out = "CREATE UNIQUE INDEX IF NOT EXISTS ";
  quoted(out, t.index_name(identity), d.quote);
  out += " ON ";
  quoted(out, t.name, d.quote);
  out += " (";
  for (std::size_t i = 0; i < identity.columns.size(); ++i) {
    if (i != 0) out += ", ";
    quoted(out, t.columns[identity.columns[i]].name, d.quote);
  }
  out += ')';
  return out;
}

std::string select_row(const Dialect& d, const Table& t) {
  std::string out = "SELECT ";
  column_list(out, d, t);
  out += " FROM ";
  quoted(out, t.name, d.quote);
  where_key(out, d, t);
  return out;
}

std::string select_row_for_update(const Dialect& d, const Table& t) {
  std::string out = select_row(d, t);
  out += d.locking_read;
  return out;
}

std::string insert_row(const Dialect& d, const Table& t) {
  std::string out = "INSERT INTO ";
  quoted(out, t.name, d.quote);
  out += " (";
  bool first = true;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (i == t.primary_key) continue;
    if (!first) out += ", ";
    first = false;
    quoted(out, t.columns[i].name, d.quote);
  }
  out += ") VALUES (";
  first = true;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (i == t.primary_key) continue;
    if (!first) out += ", ";
    first = false;
    placeholder(out, t.columns[i].name);
  }
  out += ") RETURNING ";
  quoted(out, t.columns[t.primary_key].name, d.quote);
  return out;
}

std::string locked_update(const Dialect& d, const Table& t, std::span<const std::size_t> assigned) {
  std::string out = "UPDATE ";
  quoted(out, t.name, d.quote);
  out += " SET ";
  for (std::size_t c : assigned) {
    quoted(out, t.columns[c].name, d.quote);
    out += " = ";
    placeholder(out, t.columns[c].name);
    out += ", ";
  }
  bump_version(out, d, t);
  where_key(out, d, t, " = ");
  return out;
}

std::string locked_destroy(const Dialect& d, const Table& t) {
  std::string out = "DELETE FROM ";
  quoted(out, t.name, d.quote);
  where_key(out, d, t, " = ");
  return out;
}

std::string version_probe(const Dialect& d, const Table& t) {
  std::string out = "SELECT ";
  quoted(out, t.columns[t.version].name, d.quote);
  out += " FROM ";
  quoted(out, t.name, d.quote);
  where_key(out, d, t);
  return out;
}

std::string increment(const Dialect& d, const Table& t, std::span<const std::size_t> columns,
                      bool checked) {
  std::string out = "UPDATE ";
  quoted(out, t.name, d.quote);
  out += " SET ";
  for (std::size_t c : columns) {
    quoted(out, t.columns[c].name, d.quote);
    out += " = ";
    quoted(out, t.columns[c].name, d.quote);
    out += " + ";
    placeholder(out, t.columns[c].name);
    out += ", ";
  }
  bump_version(out, d, t);
  // Unchecked, the filter keeps a record at the version limit from wrapping.
  where_key(out, d, t, checked ? " = " : " < ");
  out += " RETURNING ";
  column_list(out, d, t);
  return out;
}

std::string savepoint(std::size_t depth) {
  return "SAVEPOINT optimist_" + std::to_string(depth);
}

std::string release_savepoint(std::size_t depth) {
  return "RELEASE SAVEPOINT optimist_" + std::to_string(depth);
}

std::string rollback_to_savepoint(std::size_t depth) {
  return "ROLLBACK TO SAVEPOINT optimist_" + std::to_string(depth);
}

namespace {

bool identifier_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool identifier_char(char c) {
  return identifier_start(c) || (c >= '0' && c <= '9');
}

}  // namespace

std::string positional_placeholders(std::string_view text, char marker, bool numbered) {
  std::string out;
  out.reserve(text.size());
  std::size_t next = 1;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '"' || c == '\'') {  // a quoted identifier or a string: copied as it is
      const std::size_t close = text.find(c, i + 1);
      const std::size_t end = close == std::string_view::npos ? text.size() : close + 1;
      out.append(text.substr(i, end - i));
      i = end;
    } else if (c == ':' && i + 1 < text.size() && text[i + 1] == ':') {  // a cast
      out += "::";
      i += 2;
    } else if (c == ':' && i + 1 < text.size() && identifier_start(text[i + 1])) {
      i += 2;
      while (i < text.size() && identifier_char(text[i])) ++i;
      out += marker;
      if (numbered) out += std::to_string(next++);
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace optimist::sql
