// SPDX-License-Identifier: MIT
#include "differential/operation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <optional>
#include <random>

namespace optimist::differential {

namespace {

constexpr std::int64_t int_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int_min = std::numeric_limits<std::int64_t>::min();

// Multibyte UTF-8 (2, 3 and 4 bytes, a combining accent, invisible characters) and text
// that would break SQL spliced into a statement.
constexpr std::string_view fragments[] = {
    "Ann",   "Zoë",       "München", "東京",    "Ελλάδα",
    "🎉",     "e\u0301",   "ß",       "O'Brien", "Robert'); DROP TABLE players;--",
    "\"q\"", "%_",        "\\",      "a;b",     "NULL",
    " ",     "tab\there", "li\nne",  "$1",      ":name",
    "?",     "/*x*/",     "ﬁ",       "\u200b",  "\u00a0",
};

// Bytes that are not UTF-8: stray continuation, truncated sequences, an overlong form, a
// surrogate, a code point above U+10FFFF.
constexpr std::string_view not_utf8[] = {
    "\xff", "ab\xfe", "\xc3", "\xc3(", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\xe2\x82",
};

// A small pool, so that creates and updates of members collide on the unique email.
constexpr std::string_view emails[] = {"ann@example.org", "zoë@例え.jp", "o'neil@x", "a%_@x"};

// One character of each UTF-8 length, to build texts of an exact number of code points.
constexpr std::string_view wide[] = {"a", "é", "字", "🎉"};

class Draw {
 public:
  explicit Draw(std::uint64_t seed) : rng_(seed) {}
  /// 0 .. n-1; plain modulo, so that every standard library draws the same numbers.
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  bool percent(std::uint64_t p) { return below(100) < p; }
  template <class T, std::size_t N>
  const T& one_of(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  std::mt19937_64 rng_;
};

std::string repeated(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// The first `n` code points of valid UTF-8 `s`.
std::string first_code_points(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t k = 0; k < n && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return std::string(s.substr(0, i));
}

// A text for an attribute of at most `max` code points (0: no limit): usually fine, now
// and then exactly at the limit, one past it, not UTF-8, with a NUL, or empty.
std::string text(Draw& d, std::size_t max) {
  const std::size_t limit = max == 0 ? 300 : max;
  const auto roll = d.below(100);
  if (roll < 72) {
    std::string s;
    for (auto n = 1 + d.below(3); n > 0; --n) s += d.one_of(fragments);
    return max == 0 ? s : first_code_points(s, max);
  }
  if (roll < 80) return repeated(d.one_of(wide), limit);
  if (roll < 86) return repeated(d.one_of(wide), limit + 1);
  if (roll < 92) {
    std::string s = "x";
    s += d.one_of(not_utf8);
    return s;
  }
  if (roll < 95) return std::string("a\0b", 3);
  return {};
}

std::int64_t number(Draw& d) {
  constexpr std::int64_t edges[] = {int_max, int_min, int_max - 1, int_min + 1, 1LL << 62};
  if (d.percent(70)) return static_cast<std::int64_t>(d.below(201)) - 100;
  return d.one_of(edges);
}

// Doubles that round-trip badly or not at all: inexact decimals, negative zero, subnormals,
// numbers so large that sums of two overflow, infinities and NaN.
double real(Draw& d) {
  constexpr double max = std::numeric_limits<double>::max();
  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr double large[] = {max, -max, max * 0.75, -max * 0.75};
  constexpr double edges[] = {0.1,
                              0.30000000000000004,
                              -0.0,
                              5e-324,
                              1e-310,
                              1e15 + 0.3,
                              inf,
                              -inf,
                              std::numeric_limits<double>::quiet_NaN()};
  const auto roll = d.below(100);
  if (roll < 50) return static_cast<double>(static_cast<std::int64_t>(d.below(2001)) - 1000) / 8;
  if (roll < 80) return d.one_of(large);
  return d.one_of(edges);
}

// Slot names per Res, in slot order; "" past the last slot.
constexpr std::string_view slot_names[][4] = {
    {"name", "points", "", ""},
    {"state", "county", "", ""},
    {"email", "name", "", ""},
    {"reading", "active", "note", "limit"},
};

std::size_t max_length(Res res, std::size_t slot) {
  switch (res) {
    case Res::player:
      return 100;
    case Res::address:
      return slot == 0 ? 2 : 64;
    case Res::member:
      return 0;
    case Res::gauge:
      return 20;
  }
  return 0;
}

Field literal(Draw& d, Res res, std::size_t slot) {
  if (res == Res::player && slot == 1) return {Field::Mode::literal, Value{number(d)}};
  if (res == Res::gauge) {
    if (slot == 0) return {Field::Mode::literal, Value{real(d)}};
    if (slot == 1) return {Field::Mode::literal, Value{d.percent(50)}};
    if (d.percent(25)) return {Field::Mode::literal, Value{}};  // null
    if (slot == 3) return {Field::Mode::literal, Value{number(d)}};
  }
  if (res == Res::member && slot == 0 && d.percent(70)) {
    return {Field::Mode::literal, Value{std::string(d.one_of(emails))}};
  }
  return {Field::Mode::literal, Value{text(d, max_length(res, slot))}};
}

Target target(Draw& d, bool in_unit) {
  Target t;
  t.never = d.percent(5);
  t.chain = in_unit && d.percent(40);
  t.gone = d.percent(20);
  t.pick = static_cast<std::uint32_t>(d.below(16));
  const auto roll = d.below(100);
  t.copy = roll < 60 ? Copy::fresh : roll < 85 ? Copy::held : roll < 93 ? Copy::ahead : Copy::zero;
  t.held = static_cast<std::uint32_t>(d.below(8));
  return t;
}

Res resource(Draw& d) {
  const auto roll = d.below(100);
  return roll < 35 ? Res::player : roll < 55 ? Res::address : roll < 75 ? Res::member : Res::gauge;
}

// An operation of `kind` on a resource drawn here, or on `res` when given (and, for an atomic
// change, a resource with a counter).
Op simple(Draw& d, OpKind kind, bool in_unit, std::optional<Res> res = std::nullopt) {
  Op op;
  op.kind = kind;
  const bool atomic = kind == OpKind::change || kind == OpKind::change_locked;
  if (res && (!atomic || *res == Res::player || *res == Res::gauge)) {
    op.res = *res;
  } else {
    op.res = atomic ? (d.percent(60) ? Res::player : Res::gauge) : resource(d);
  }
  if (kind == OpKind::create) {
    const std::size_t slots = op.res == Res::player ? 1 : slots_of(op.res);
    for (std::size_t i = 0; i < slots; ++i) {
      if (d.percent(92)) op.fields[i] = literal(d, op.res, i);
    }
    return op;
  }
  op.target = target(d, in_unit);
  if (kind == OpKind::update) {
    for (std::size_t i = 0; i < slots_of(op.res); ++i) {
      const auto roll = d.below(100);
      if (roll < 45) {
        op.fields[i] = literal(d, op.res, i);
      } else if (roll < 60) {
        op.fields[i].mode = Field::Mode::same;
      }
    }
  }
  if (atomic) {
    op.decrement = d.percent(30);
    if (op.res == Res::gauge) {
      op.amount = real(d);
    } else {
      const std::int64_t n = number(d);
      op.amount = op.decrement && n == int_min ? int_max : n;  // -int_min overflows
    }
  }
  return op;
}

Op compound(Draw& d, OpKind kind) {
  Op op;
  op.kind = kind;
  op.commit = d.percent(60);
  const bool unit = kind == OpKind::unit;
  for (auto n = 2 + d.below(4); n > 0; --n) {
    const auto roll = d.below(100);
    OpKind k = roll < 25   ? OpKind::create
               : roll < 50 ? OpKind::update
               : roll < 60 ? OpKind::destroy
               : roll < 70 ? OpKind::change
               : roll < 80 ? OpKind::change_locked
               : roll < 90 ? OpKind::get_for_update
                           : (unit ? OpKind::fail : OpKind::get);
    op.steps.push_back(simple(d, k, unit));
  }
  return op;
}

// The queries mix: most records on the resources whose columns differ most in type.
Res query_resource(Draw& d) {
  const auto roll = d.below(100);
  return roll < 45 ? Res::gauge : roll < 80 ? Res::player : roll < 90 ? Res::member : Res::address;
}

enum class ColumnKind { integer, real, boolean, text };

ColumnKind kind_of(Res res, std::size_t column) {
  if (column < 2) return ColumnKind::integer;
  const std::size_t slot = column - 2;
  switch (res) {
    case Res::player:
      return slot == 0 ? ColumnKind::text : ColumnKind::integer;
    case Res::address:
    case Res::member:
      return ColumnKind::text;
    case Res::gauge:
      break;
  }
  constexpr ColumnKind gauge[] = {ColumnKind::real, ColumnKind::boolean, ColumnKind::text,
                                  ColumnKind::integer};
  return gauge[slot % 4];
}

bool nullable(Res res, std::size_t column) {
  return res == Res::gauge && column >= 4;  // note, limit
}

// Prefixes that LIKE would read as wildcards or escapes, quotes, and the last code points.
constexpr std::string_view special_prefixes[] = {
    "%", "_", "\\", "'", "\"", "O'", "%_", "e\u0301", "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF",
};

// A value a query compares column `column` of `res` with: near the values stored, now and
// then one no column holds (text not UTF-8, a NaN).
Value query_literal(Draw& d, Res res, std::size_t column) {
  switch (kind_of(res, column)) {
    case ColumnKind::integer:
      if (column == 1) return Value{static_cast<std::int64_t>(1 + d.below(4))};
      return Value{d.percent(50) ? static_cast<std::int64_t>(d.below(41)) - 20 : number(d)};
    case ColumnKind::real:
      return Value{real(d)};
    case ColumnKind::boolean:
      return Value{d.percent(50)};
    case ColumnKind::text:
      break;
  }
  const auto roll = d.below(100);
  if (roll < 55) return Value{std::string(d.one_of(fragments))};
  if (roll < 75) return Value{first_code_points(d.one_of(fragments), 1 + d.below(2))};
  if (roll < 90) return Value{text(d, 0)};
  if (res == Res::member) return Value{std::string(d.one_of(emails))};
  return Value{std::string()};
}

Value prefix(Draw& d) {
  const auto roll = d.below(100);
  if (roll < 50) return Value{first_code_points(d.one_of(fragments), 1 + d.below(3))};
  if (roll < 62) return Value{std::string()};
  if (roll < 85) return Value{std::string(d.one_of(special_prefixes))};
  return Value{text(d, 0)};
}

QueryFilter query_filter(Draw& d, Res res, int depth) {
  QueryFilter f;
  if (depth < 3 && d.percent(30)) {
    const auto k = d.below(3);
    f.kind = k == 0   ? Condition::Kind::all_of
             : k == 1 ? Condition::Kind::any_of
                      : Condition::Kind::none_of;
    const std::size_t n = f.kind == Condition::Kind::none_of ? 1 : 2 + d.below(2);
    for (std::size_t i = 0; i < n; ++i) f.operands.push_back(query_filter(d, res, depth + 1));
    return f;
  }
  f.kind = Condition::Kind::test;
  f.column = 1 + d.below(columns_of(res) - 1);
  const auto t = d.below(100);
  f.test = t < 15   ? Compare::eq
           : t < 25 ? Compare::ne
           : t < 35 ? Compare::lt
           : t < 43 ? Compare::le
           : t < 53 ? Compare::gt
           : t < 61 ? Compare::ge
           : t < 75 ? Compare::in
           : t < 83 ? Compare::is_null
                    : Compare::starts_with;
  if (f.test == Compare::is_null && !nullable(res, f.column)) f.test = Compare::eq;
  if (f.test == Compare::starts_with && kind_of(res, f.column) != ColumnKind::text)
    f.test = Compare::lt;
  if (f.test == Compare::is_null) return f;
  if (f.test == Compare::starts_with) {
    f.values.push_back(prefix(d));
    return f;
  }
  const std::size_t n = f.test != Compare::in ? 1 : d.percent(10) ? 0 : 1 + d.below(5);
  for (std::size_t i = 0; i < n; ++i) f.values.push_back(query_literal(d, res, f.column));
  if (n > 0 && d.percent(40)) f.from = static_cast<std::uint32_t>(d.below(16));
  return f;
}

QuerySpec query_spec(Draw& d, Res res, bool pages) {
  QuerySpec q;
  if (!d.percent(15)) q.where = query_filter(d, res, 0);
  for (auto n = d.below(4); n > 0; --n) {
    const std::size_t column = d.below(columns_of(res));
    const bool twice = std::any_of(q.order.begin(), q.order.end(),
                                   [&](const SortKey& k) { return k.column == column; });
    if (!twice || d.percent(3)) q.order.push_back(SortKey{column, d.percent(50)});
  }
  if (pages) {
    q.limit = d.percent(3) ? 0 : 1 + d.below(4);
    if (d.percent(15)) q.offset = 1 + d.below(2);
    return q;
  }
  if (d.percent(60)) q.limit = d.below(8);
  if (d.percent(20)) q.offset = d.below(4);
  return q;
}

Op query_op(Draw& d, OpKind kind, Res res) {
  Op op;
  op.kind = kind;
  op.res = res;
  op.query = query_spec(d, res, kind == OpKind::pages);
  if (kind != OpKind::pages) return op;
  // Writes between pages, most on the resource paged through.
  for (auto n = d.below(5); n > 0; --n) {
    const auto roll = d.below(100);
    const OpKind k = roll < 40   ? OpKind::create
                     : roll < 65 ? OpKind::update
                     : roll < 85 ? OpKind::destroy
                                 : OpKind::change;
    op.steps.push_back(simple(d, k, false, d.percent(75) ? res : query_resource(d)));
  }
  return op;
}

// A transaction whose queries read its own writes, most on one resource.
Op query_transaction(Draw& d) {
  Op op;
  op.kind = OpKind::transaction;
  op.commit = d.percent(60);
  const Res res = query_resource(d);
  for (auto n = 2 + d.below(4); n > 0; --n) {
    const Res r = d.percent(75) ? res : query_resource(d);
    const auto roll = d.below(100);
    if (roll < 20) {
      op.steps.push_back(simple(d, OpKind::create, false, r));
    } else if (roll < 35) {
      op.steps.push_back(simple(d, OpKind::update, false, r));
    } else if (roll < 45) {
      op.steps.push_back(simple(d, OpKind::destroy, false, r));
    } else if (roll < 55) {
      op.steps.push_back(simple(d, OpKind::change, false, r));
    } else {
      op.steps.push_back(query_op(d,
                                  roll < 75   ? OpKind::query
                                  : roll < 88 ? OpKind::count
                                              : OpKind::one,
                                  r));
    }
  }
  return op;
}

Op query_mix_op(Draw& d) {
  const auto roll = d.below(100);
  const Res res = query_resource(d);
  if (roll < 30) return simple(d, OpKind::create, false, res);
  if (roll < 37) return simple(d, OpKind::update, false, res);
  if (roll < 41) return simple(d, OpKind::destroy, false, res);
  if (roll < 45) return simple(d, OpKind::change, false, res);
  if (roll < 47) return simple(d, OpKind::change_locked, false, res);
  if (roll < 52) return query_transaction(d);
  if (roll < 71) return query_op(d, OpKind::query, res);
  if (roll < 78) return query_op(d, OpKind::count, res);
  if (roll < 83) return query_op(d, OpKind::one, res);
  return query_op(d, OpKind::pages, res);
}

// Doubles bit for bit: NaN equals itself, -0 differs from 0.
bool same_value(const Value& a, const Value& b) {
  const auto* x = std::get_if<double>(&a);
  const auto* y = std::get_if<double>(&b);
  if (x != nullptr && y != nullptr) {
    return std::bit_cast<std::uint64_t>(*x) == std::bit_cast<std::uint64_t>(*y);
  }
  return a == b;
}

}  // namespace

bool operator==(const Field& a, const Field& b) noexcept {
  return a.mode == b.mode && same_value(a.value, b.value);
}

bool operator==(const QueryFilter& a, const QueryFilter& b) noexcept {
  return a.kind == b.kind && a.test == b.test && a.column == b.column &&
         std::equal(a.values.begin(), a.values.end(), b.values.begin(), b.values.end(),
                    same_value) &&
         a.from == b.from && a.operands == b.operands;
}

bool operator==(const Op& a, const Op& b) noexcept {
  return a.kind == b.kind && a.res == b.res && a.target == b.target && a.fields == b.fields &&
         same_value(a.amount, b.amount) && a.decrement == b.decrement && a.commit == b.commit &&
         a.steps == b.steps && a.query == b.query;
}

std::string_view name_of(Res res) noexcept {
  switch (res) {
    case Res::player:
      return "Player";
    case Res::address:
      return "Address";
    case Res::member:
      return "Member";
    case Res::gauge:
      return "Gauge";
  }
  return "?";
}

std::size_t slots_of(Res res) noexcept {
  std::size_t n = 0;
  while (n < 4 && !slot_names[static_cast<std::size_t>(res)][n].empty()) ++n;
  return n;
}

std::string_view field_name(Res res, std::size_t slot) noexcept {
  return slot < 4 ? slot_names[static_cast<std::size_t>(res)][slot] : "?";
}

std::string_view column_name(Res res, std::size_t column) noexcept {
  return column == 0 ? "id" : column == 1 ? "version" : field_name(res, column - 2);
}

std::size_t columns_of(Res res) noexcept {
  return 2 + slots_of(res);
}

std::vector<Op> generate(std::uint64_t seed, std::size_t count, Mix mix) {
  Draw d(seed);
  // Queries come from a draw of their own, between the other operations, so that a seed's
  // other operations stay what they were before queries were drawn.
  Draw queries(seed ^ 0x9E3779B97F4A7C15ULL);
  std::vector<Op> ops;
  ops.reserve(count);
  // Queries need records to find: a quarter of the sequence creates them first.
  while (mix == Mix::queries && ops.size() < count / 4) {
    ops.push_back(simple(d, OpKind::create, false, d.percent(60) ? Res::gauge : Res::player));
  }
  while (mix == Mix::queries && ops.size() < count) ops.push_back(query_mix_op(d));
  while (ops.size() < count) {
    if (queries.percent(12)) {
      Op q;
      q.kind = OpKind::select;
      q.res = static_cast<Res>(queries.below(4));
      q.amount = static_cast<std::int64_t>(queries.below(std::uint64_t{1} << 40));
      ops.push_back(std::move(q));
      continue;
    }
    const auto roll = d.below(100);
    if (roll < 22) {
      ops.push_back(simple(d, OpKind::create, false));
    } else if (roll < 30) {
      ops.push_back(simple(d, OpKind::get, false));
    } else if (roll < 34) {
      ops.push_back(simple(d, OpKind::get_for_update, false));
    } else if (roll < 55) {
      ops.push_back(simple(d, OpKind::update, false));
    } else if (roll < 65) {
      ops.push_back(simple(d, OpKind::destroy, false));
    } else if (roll < 73) {
      ops.push_back(simple(d, OpKind::change, false));
    } else if (roll < 81) {
      ops.push_back(simple(d, OpKind::change_locked, false));
    } else if (roll < 91) {
      ops.push_back(compound(d, OpKind::unit));
    } else {
      ops.push_back(compound(d, OpKind::transaction));
    }
  }
  return ops;
}

std::string quote(std::string_view s) {
  // A run of one character, as the generator makes for length limits.
  if (s.size() > 24) {
    const std::string first = first_code_points(s, 1);
    std::size_t n = 0;
    std::size_t at = 0;
    while (at < s.size() && s.substr(at, first.size()) == first) at += first.size(), ++n;
    if (at == s.size()) return fmt::format("{}*{}", quote(first), n);
  }
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    bool valid = (c < 0x80 || (c >= 0xC2 && c <= 0xF4)) && i + n <= s.size();
    for (std::size_t k = 1; valid && k < n; ++k) {
      valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (valid && n == 3 && c == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0) valid = false;
    if (!valid) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c == '\n') {
      out += "\\n", ++i;
    } else if (c == '\t') {
      out += "\\t", ++i;
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else {
      out += s.substr(i, n);
      i += n;
    }
  }
  return out + '"';
}

std::string render(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return quote(*s);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return "null";
}

namespace {

std::string_view kind_name(OpKind k) {
  switch (k) {
    case OpKind::create:
      return "create";
    case OpKind::get:
      return "get";
    case OpKind::get_for_update:
      return "get_for_update";
    case OpKind::update:
      return "update";
    case OpKind::destroy:
      return "destroy";
    case OpKind::change:
      return "change";
    case OpKind::change_locked:
      return "change_locked";
    case OpKind::fail:
      return "fail";
    case OpKind::unit:
      return "unit";
    case OpKind::transaction:
      return "transaction";
    case OpKind::query:
      return "query";
    case OpKind::select:
      return "select";
    case OpKind::count:
      return "count";
    case OpKind::one:
      return "one";
    case OpKind::pages:
      return "pages";
  }
  return "?";
}

std::string_view test_name(Compare t) {
  switch (t) {
    case Compare::eq:
      return "=";
    case Compare::ne:
      return "<>";
    case Compare::lt:
      return "<";
    case Compare::le:
      return "<=";
    case Compare::gt:
      return ">";
    case Compare::ge:
      return ">=";
    case Compare::in:
      return "in";
    case Compare::is_null:
      return "is null";
    case Compare::starts_with:
      return "starts_with";
  }
  return "?";
}

std::string filter_text(Res res, const QueryFilter& f) {
  switch (f.kind) {
    case Condition::Kind::all:
      return "everything";
    case Condition::Kind::test:
      break;
    case Condition::Kind::all_of:
    case Condition::Kind::any_of: {
      std::string out = "(";
      for (std::size_t i = 0; i < f.operands.size(); ++i) {
        if (i != 0) out += f.kind == Condition::Kind::all_of ? " and " : " or ";
        out += filter_text(res, f.operands[i]);
      }
      return out + ")";
    }
    case Condition::Kind::none_of: {
      std::string out = "not (";
      for (std::size_t i = 0; i < f.operands.size(); ++i) {
        if (i != 0) out += " or ";
        out += filter_text(res, f.operands[i]);
      }
      return out + ")";
    }
  }
  std::string out = fmt::format("{} {}", column_name(res, f.column), test_name(f.test));
  if (f.test == Compare::is_null) return out;
  std::string values;
  for (std::size_t i = 0; i < f.values.size(); ++i) {
    if (i != 0) values += ", ";
    values += i == 0 && f.from
                  ? fmt::format("value-of-#{}%live(else {})", *f.from, render(f.values[i]))
                  : render(f.values[i]);
  }
  return out + (f.test == Compare::in ? " [" + values + "]" : " " + values);
}

std::string query_text(Res res, const QuerySpec& q) {
  std::string out;
  if (q.where.kind != Condition::Kind::all) out += " where " + filter_text(res, q.where);
  for (std::size_t i = 0; i < q.order.size(); ++i) {
    out += fmt::format("{}{} {}", i == 0 ? " order " : ", ", column_name(res, q.order[i].column),
                       q.order[i].descending ? "desc" : "asc");
  }
  if (q.limit) out += fmt::format(" limit {}", *q.limit);
  if (q.offset != 0) out += fmt::format(" offset {}", q.offset);
  return out;
}

std::string target_text(const Op& op) {
  const Target& t = op.target;
  std::string out = t.chain ? "(previous step's record, else " : "";
  out += t.never ? "never-created" : fmt::format("#{}%{}", t.pick, t.gone ? "all" : "live");
  if (t.chain) out += ")";
  if (op.kind == OpKind::get || op.kind == OpKind::get_for_update || op.kind == OpKind::change) {
    return out;
  }
  switch (t.copy) {
    case Copy::fresh:
      return out + " fresh";
    case Copy::held:
      return out + fmt::format(" held:{}", t.held);
    case Copy::ahead:
      return out + " version+1000";
    case Copy::zero:
      return out + " version=0";
  }
  return out;
}

}  // namespace

std::string describe(const Op& op) {
  std::string out(kind_name(op.kind));
  if (op.kind == OpKind::fail) return out;
  if (op.kind == OpKind::select)
    return out + fmt::format(" {} {}", name_of(op.res), render(op.amount));
  if (op.kind == OpKind::query || op.kind == OpKind::count || op.kind == OpKind::one ||
      op.kind == OpKind::pages) {
    out += fmt::format(" {}{}", name_of(op.res), query_text(op.res, op.query));
    if (op.steps.empty()) return out;
    out += " [";
    for (std::size_t i = 0; i < op.steps.size(); ++i) {
      out +=
          fmt::format("{}s{} after page {}: {}", i == 0 ? "" : "; ", i, i, describe(op.steps[i]));
    }
    return out + "]";
  }
  if (op.kind == OpKind::unit || op.kind == OpKind::transaction) {
    out += " [";
    for (std::size_t i = 0; i < op.steps.size(); ++i) {
      out += fmt::format("{}s{}: {}", i == 0 ? "" : "; ", i, describe(op.steps[i]));
    }
    out += "]";
    if (op.kind == OpKind::transaction) out += op.commit ? " then commit" : " then rollback";
    return out;
  }
  out += fmt::format(" {}", name_of(op.res));
  if (op.kind != OpKind::create) {
    out += ' ';
    out += target_text(op);
  }
  for (std::size_t i = 0; i < op.fields.size(); ++i) {
    const Field& f = op.fields[i];
    if (f.mode == Field::Mode::unset) continue;
    out += fmt::format(" {}={}", field_name(op.res, i),
                       f.mode == Field::Mode::same ? "same" : render(f.value));
  }
  if (op.kind == OpKind::change || op.kind == OpKind::change_locked) {
    const std::size_t counter = op.res == Res::gauge ? 0 : 1;  // reading, points
    out += fmt::format(" {}{}{}", field_name(op.res, counter),
                       op.decrement ? "-=" : "+=", render(op.amount));
  }
  return out;
}

std::string describe(const std::vector<Op>& ops) {
  std::string out;
  for (std::size_t i = 0; i < ops.size(); ++i)
    out += fmt::format("  {}: {}\n", i, describe(ops[i]));
  return out;
}

}  // namespace optimist::differential
