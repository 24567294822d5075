// SPDX-License-Identifier: MIT
#include "optimist/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include "optimist/definition.hpp"
#include "optimist/detail/schema.hpp"
#include "optimist/detail/values.hpp"
#include "version_limit.hpp"

namespace optimist {

namespace {

/// The number of code points in `s`, or why check_text refuses it: a NUL anywhere, or not
/// valid UTF-8 (overlong forms, surrogates and values above U+10FFFF are invalid). One pass,
/// eight bytes at a time while they are ASCII.
struct TextScan {
  std::size_t length = 0;
  std::optional<FieldReason> refused;
};

TextScan scan_text(std::string_view s) {
  constexpr std::uint64_t high = 0x8080808080808080U;
  constexpr std::uint64_t ones = 0x0101010101010101U;
  const auto refuse_from = [s](std::size_t i) {  // a NUL is reported before invalid UTF-8
    return TextScan{0, s.find('\0', i) != std::string_view::npos ? FieldReason::contains_nul
                                                                 : FieldReason::invalid_utf8};
  };
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {  // one code point, or eight ASCII bytes
    if (s.size() - i >= 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, s.data() + i, sizeof w);
      if ((w & high) == 0) {
        if (((w - ones) & ~w & high) != 0) return {0, FieldReason::contains_nul};
        i += 8;
        count += 7;  // and the loop's one
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      if (c == 0) return {0, FieldReason::contains_nul};
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return refuse_from(i);
    }
    if (i + n >= s.size()) return refuse_from(i);  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return refuse_from(i);
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr char32_t min_for[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return refuse_from(i);
    i += n + 1;
  }
  return {count, std::nullopt};
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Names a backend keeps for itself: SQLite refuses tables named sqlite_*, PostgreSQL refuses
// columns named like its system columns. Refused for every backend, so that a definition
// that opens on one opens on all.
bool reserved_table(std::string_view name) {
  return lowercase(name.substr(0, 7)) == "sqlite_";
}

bool reserved_column(std::string_view name) {
  static constexpr std::string_view system[] = {"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"};
  const std::string lower = lowercase(name);
  return std::find(std::begin(system), std::end(system), lower) != std::end(system);
}

}  // namespace

bool is_identifier(std::string_view s) noexcept {
  if (s.empty() || s.size() > 63) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

Result<void> Table::validate() const {
  std::vector<FieldError> errors;
  if (!is_identifier(name) || reserved_table(name)) {
    errors.push_back({name, FieldReason::invalid_identifier});
  }
  std::set<std::string, std::less<>> seen;  // lowercase: SQLite ignores the case of names
  for (const auto& c : columns) {
    if (!is_identifier(c.name) || reserved_column(c.name)) {
      errors.push_back({c.name, FieldReason::invalid_identifier});
    }
    if (!seen.insert(lowercase(c.name)).second) {
      errors.push_back({c.name, FieldReason::duplicate_name});
    }
  }
  if (primary_key >= columns.size() || version >= columns.size() || primary_key == version) {
    errors.push_back({"primary_key/version", FieldReason::out_of_range});
  } else if (columns[primary_key].type != ColumnType::integer ||
             columns[version].type != ColumnType::integer) {
    errors.push_back({columns[primary_key].name, FieldReason::wrong_type});
  }
  std::set<std::string, std::less<>> names;  // lowercase: SQLite ignores the case of index names
  for (const Identity& identity : identities) {
    const auto refuse = [&](FieldReason why) { errors.push_back({identity.name, why}); };
    // The index name is refused for its length alone: the table's name is checked above.
    if (!is_identifier(identity.name) ||
        (is_identifier(name) && !is_identifier(index_name(identity)))) {
      refuse(FieldReason::invalid_identifier);
    }
    if (!names.insert(lowercase(identity.name)).second) refuse(FieldReason::duplicate_name);
    if (identity.columns.empty()) refuse(FieldReason::required);
    if (std::any_of(identity.columns.begin(), identity.columns.end(),
                    [&](std::size_t c) { return c >= columns.size(); })) {
      refuse(FieldReason::out_of_range);
    } else if (std::set<std::size_t>(identity.columns.begin(), identity.columns.end()).size() !=
               identity.columns.size()) {
      refuse(FieldReason::duplicate_name);
    }
  }
  if (errors.empty()) return ok();
  Error e = make_error(ErrorKind::invalid_definition);
  e.resource = resource;
  e.fields = std::move(errors);
  return e;
}

std::string Table::index_name(const Identity& identity) const {
  return fmt::format("{}_{}_key", name, identity.name);
}

namespace detail {

void check_text(std::string_view field, std::string_view s, const Constraints& c,
                std::vector<FieldError>& out) {
  const TextScan scan = scan_text(s);
  if (scan.refused) {
    out.push_back({std::string(field), *scan.refused});
    return;
  }
  if (c.required && scan.length == 0) out.push_back({std::string(field), FieldReason::required});
  if (c.max_length != 0 && scan.length > c.max_length) {
    out.push_back(
        {std::string(field), FieldReason::too_long, static_cast<std::int64_t>(c.max_length)});
  }
}

ErrorBox column_type_error(const Table& table, std::size_t column) {
  Error e = make_error(ErrorKind::internal,
                       fmt::format("stored column {} of table {} does not fit the attribute type",
                                   column < table.columns.size() ? table.columns[column].name
                                                                 : std::to_string(column),
                                   table.name));
  e.resource = table.resource;
  return e;
}

Error invalid_error(const Table& table, std::string_view action, std::vector<FieldError> fields) {
  Error e = make_error(ErrorKind::invalid);
  e.resource = table.resource;
  e.action = std::string(action);
  e.fields = std::move(fields);
  return e;
}

ErrorBox refused(const Table& table, std::string_view action, std::vector<FieldError> errors) {
  return invalid_error(table, action, std::move(errors));
}

ErrorBox invalid_version(const Table& table, std::string_view action) {
  return refused(table, action,
                 {FieldError{table.columns[table.version].name, FieldReason::out_of_range}});
}

Result<Table> finish_table(Table table) {
  OPTIMIST_TRYV(table.validate());
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const Column& c = table.columns[i];
    if (c.required && c.type != ColumnType::text && !c.nullable) {
      errors.push_back({c.name, FieldReason::wrong_type});  // required needs text or optional
    }
    if (c.max_length != 0 && c.type != ColumnType::text) {
      errors.push_back({c.name, FieldReason::wrong_type});  // max_length needs text
    }
    if (c.type == ColumnType::text && std::holds_alternative<std::string>(c.default_value)) {
      check_text(c.name, std::get<std::string>(c.default_value),
                 Constraints{.required = false, .max_length = c.max_length}, errors);
    }
  }
  const auto* initial = std::get_if<std::int64_t>(&table.columns[table.version].default_value);
  if (!initial || *initial < 1) {
    errors.push_back({table.columns[table.version].name, FieldReason::out_of_range});
  }
  if (errors.empty()) return table;
  Error e = make_error(ErrorKind::invalid_definition);
  e.resource = table.resource;
  e.fields = std::move(errors);
  return e;
}

}  // namespace detail
}  // namespace optimist

namespace optimist {

Error version_limit_error(const Table& table) {
  Error e = make_error(ErrorKind::invalid, "the version is at its type's maximum");
  e.fields.push_back({table.columns[table.version].name, FieldReason::out_of_range});
  return e;
}

std::string_view to_string(ColumnType type) noexcept {
  switch (type) {
    case ColumnType::integer:
      return "integer";
    case ColumnType::real:
      return "real";
    case ColumnType::boolean:
      return "boolean";
    case ColumnType::text:
      return "text";
  }
  return "text";
}

std::ostream& operator<<(std::ostream& os, ColumnType type) {
  return os << to_string(type);
}

std::ostream& operator<<(std::ostream& os, ActionKind kind) {
  switch (kind) {
    case ActionKind::read:
      return os << "read";
    case ActionKind::create:
      return os << "create";
    case ActionKind::update:
      return os << "update";
    case ActionKind::destroy:
      return os << "destroy";
  }
  return os << "read";
}

}  // namespace optimist
