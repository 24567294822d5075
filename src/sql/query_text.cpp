// SPDX-License-Identifier: MIT
#include "sql/query_text.hpp"

#include <bit>

namespace optimist::sql {

namespace {

// Writes the statements of one selection: identifiers are validated before any SQL is
// built, so quoting never needs escaping.
struct Writer {
  const Dialect& d;
  const Table& t;
  bool pad;  // `in` lists bind a power of two of values
  BoundText out;

  void name(std::string_view n) {
    out.text += d.quote;
    out.text += n;
    out.text += d.quote;
  }

  // The column, with the dialect's code-point order when it is text and `ordered`.
  void column(std::size_t c, bool ordered) {
    name(t.columns[c].name);
    if (ordered && t.columns[c].type == ColumnType::text) out.text += d.text_order;
  }

  void bind(Value v) {
    out.values.push_back(std::move(v));
    out.text += ":p";
    out.text += std::to_string(out.values.size());
  }

  void compare(std::size_t c, std::string_view op, Value v, bool ordered) {
    column(c, ordered);
    out.text += op;
    bind(std::move(v));
  }

  void test(const Condition& c) {
    const Value* v = c.values.empty() ? nullptr : &c.values.front();
    switch (c.test) {
      case Compare::eq:
        return compare(c.column, " = ", *v, false);
      case Compare::ne:
        return compare(c.column, " <> ", *v, false);
      case Compare::lt:
        return compare(c.column, " < ", *v, true);
      case Compare::le:
        return compare(c.column, " <= ", *v, true);
      case Compare::gt:
        return compare(c.column, " > ", *v, true);
      case Compare::ge:
        return compare(c.column, " >= ", *v, true);
      case Compare::is_null:
        column(c.column, false);
        out.text += " IS NULL";
        return;
      case Compare::in: {
        if (c.values.empty()) {
          out.text += "1 = 0";
          return;
        }
        column(c.column, false);
        out.text += " IN (";
        const std::size_t n = pad ? std::bit_ceil(c.values.size()) : c.values.size();
        for (std::size_t i = 0; i < n; ++i) {
          if (i != 0) out.text += ", ";
          bind(c.values[std::min(i, c.values.size() - 1)]);
        }
        out.text += ')';
        return;
      }
      case Compare::starts_with: {
        // A range, never LIKE: no character of the prefix is a wildcard, and an index on the
        // column serves it.
        const auto& prefix = std::get<std::string>(*v);
        auto above = prefix_successor(prefix);
        out.text += '(';
        compare(c.column, " >= ", prefix, true);
        if (above) {
          out.text += " AND ";
          compare(c.column, " < ", std::move(*above), true);
        }
        out.text += ')';
        return;
      }
    }
  }

  void condition(const Condition& c) {
    switch (c.kind) {
      case Condition::Kind::all:
        out.text += "1 = 1";
        return;
      case Condition::Kind::test:
        test(c);
        return;
      case Condition::Kind::all_of:
      case Condition::Kind::any_of:
        if (c.operands.empty()) {
          out.text += c.kind == Condition::Kind::all_of ? "1 = 1" : "1 = 0";
          return;
        }
        join(c.operands, c.kind == Condition::Kind::all_of ? " AND " : " OR ");
        return;
      case Condition::Kind::none_of:
        // IS NOT TRUE: a test that met a NULL (unknown) counts as not matching, so `not`
        // matches it, as on the memory store.
        if (c.operands.empty()) {
          out.text += "1 = 1";
          return;
        }
        join(c.operands, " OR ");
        out.text += " IS NOT TRUE";
        return;
    }
  }

  void join(const std::vector<Condition>& operands, std::string_view op) {
    out.text += '(';
    for (std::size_t i = 0; i < operands.size(); ++i) {
      if (i != 0) out.text += op;
      condition(operands[i]);
    }
    out.text += ')';
  }

  void from_where(const Condition& where) {
    out.text += " FROM ";
    name(t.name);
    if (where.kind == Condition::Kind::all) return;
    out.text += " WHERE ";
    condition(where);
  }
};

// Appends `s` encoded as UTF-8.
void append_code_point(std::string& s, char32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::optional<std::string> prefix_successor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    // The start of the last code point: the last byte that is not a continuation byte.
    std::size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    const auto lead = static_cast<unsigned char>(s[start]);
    const std::size_t n = s.size() - start;
    char32_t cp = n == 1 ? lead : lead & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[start + k]) & 0x3F);
    s.resize(start);
    if (cp == 0x10FFFF) continue;
    append_code_point(s, cp + 1 == 0xD800 ? 0xE000 : cp + 1);
    return s;
  }
  return std::nullopt;
}

namespace {

// The text `write` writes, with padded `in` lists unless that would take more placeholders
// than the dialect allows (a valid selection binds fewer values than that unpadded).
template <class Write>
BoundText written(const Dialect& d, const Table& t, Write write) {
  Writer padded{d, t, true, {}};
  write(padded);
  if (padded.out.values.size() <= d.max_parameters) return std::move(padded.out);
  Writer exact{d, t, false, {}};
  write(exact);
  return std::move(exact.out);
}

void write_select(Writer& w, const Selection& s) {
  const Dialect& d = w.d;
  const Table& t = w.t;
  w.out.text = "SELECT ";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (i != 0) w.out.text += ", ";
    w.name(t.columns[i].name);
  }
  w.from_where(s.where);
  w.out.text += " ORDER BY ";
  for (std::size_t i = 0; i < s.order.size(); ++i) {
    if (i != 0) w.out.text += ", ";
    w.column(s.order[i].column, true);
    w.out.text += s.order[i].descending ? " DESC" : " ASC";
    if (t.columns[s.order[i].column].nullable) {
      w.out.text += s.order[i].descending ? d.nulls_last : d.nulls_first;
    }
  }
  if (s.limit || s.offset != 0) {
    // Both dialects take a bound LIMIT; -1 (SQLite) and NULL (PostgreSQL) mean none, so an
    // offset alone binds the largest count instead.
    w.out.text += " LIMIT ";
    w.bind(
        static_cast<std::int64_t>(std::min<std::size_t>(s.limit.value_or(INT64_MAX), INT64_MAX)));
    if (s.offset != 0) {
      w.out.text += " OFFSET ";
      w.bind(static_cast<std::int64_t>(std::min<std::size_t>(s.offset, INT64_MAX)));
    }
  }
}

}  // namespace

BoundText select_rows(const Dialect& d, const Table& t, const Selection& s) {
  return written(d, t, [&](Writer& w) { write_select(w, s); });
}

BoundText count_rows(const Dialect& d, const Table& t, const Condition& where) {
  return written(d, t, [&](Writer& w) {
    w.out.text = "SELECT COUNT(*)";
    w.from_where(where);
  });
}

}  // namespace optimist::sql
