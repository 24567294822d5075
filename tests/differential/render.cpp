// SPDX-License-Identifier: MIT
#include "differential/render.hpp"

#include <fmt/format.h>

namespace optimist::differential {

namespace {

// The enumerator's name: the catalogue's wording (to_string) may change, these may not.
std::string_view reason_name(FieldReason r) {
  switch (r) {
    case FieldReason::required:
      return "required";
    case FieldReason::too_long:
      return "too_long";
    case FieldReason::not_accepted:
      return "not_accepted";
    case FieldReason::unknown_attribute:
      return "unknown_attribute";
    case FieldReason::wrong_type:
      return "wrong_type";
    case FieldReason::out_of_range:
      return "out_of_range";
    case FieldReason::invalid_utf8:
      return "invalid_utf8";
    case FieldReason::contains_nul:
      return "contains_nul";
    case FieldReason::invalid_identifier:
      return "invalid_identifier";
    case FieldReason::duplicate_name:
      return "duplicate_name";
    case FieldReason::missing_column:
      return "missing_column";
    case FieldReason::malformed:
      return "malformed";
  }
  return "unknown_reason";
}

}  // namespace

Res res_of(std::string_view resource) {
  for (Res r : {Res::player, Res::address, Res::member, Res::gauge}) {
    if (name_of(r) == resource) return r;
  }
  return Res::player;
}

std::string render_row(const Table& table, Res res, const Row& row, const KeyNames& names) {
  std::string out = "{";
  for (std::size_t i = 0; i < row.size() && i < table.columns.size(); ++i) {
    if (i != 0) out += ", ";
    out += table.columns[i].name + "=";
    const auto* key = std::get_if<std::int64_t>(&row[i]);
    out += i == table.primary_key && key != nullptr ? names(res, *key) : render(row[i]);
  }
  return out + "}";
}

std::string render(const Error& e, const KeyNames& names) {
  std::string out = fmt::format("{} {}.{}", e.kind.name, e.resource, e.action);
  if (e.key) out += " key=" + names(res_of(e.resource), *e.key);
  if (e.filter) out += fmt::format(" filter={}:{}", e.filter->attribute, e.filter->expected);
  if (e.stored_version) out += fmt::format(" stored_version={}", *e.stored_version);
  for (const FieldError& f : e.fields) {
    out += fmt::format(" field={}:{}", f.field, reason_name(f.reason));
    if (f.limit != 0) out += fmt::format(":{}", f.limit);
  }
  if (!e.constraint.empty()) out += " constraint=" + e.constraint;
  return out;
}

}  // namespace optimist::differential
