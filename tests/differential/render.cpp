// SPDX-License-Identifier: MIT
#include "differential/render.hpp"

#include <fmt/format.h>

namespace optimist::differential {

namespace {}  // namespace

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
    out += fmt::format(" field={}:{}", f.field, optimist::name_of(f.reason));
    if (f.limit != 0) out += fmt::format(":{}", f.limit);
  }
  if (!e.constraint.empty()) out += " constraint=" + e.constraint;
  return out;
}

}  // namespace optimist::differential
