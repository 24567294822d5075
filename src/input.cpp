// SPDX-License-Identifier: MIT
// The names of dynamic input: what each field refers to, and which names are refused.
#include <string_view>
#include <unordered_set>

#include "optimist/detail/schema.hpp"

namespace optimist::detail {

ResolvedInput resolve_input(const Table& table, std::span<const bool> accepted, const Input& input,
                            std::vector<FieldError>& errors) {
  const std::size_t n = table.columns.size();
  ResolvedInput out{std::vector<std::size_t>(input.size(), no_column), std::vector<bool>(n, false)};
  std::vector<std::size_t> column(input.size(), n);
  std::vector<std::size_t> uses(n, 0);
  for (std::size_t i = 0; i < input.size(); ++i) {
    for (std::size_t c = 0; c < n; ++c) {
      if (table.columns[c].name == input[i].name) {
        column[i] = c;
        ++uses[c];
        break;
      }
    }
  }
  std::unordered_set<std::string_view> unknown;  // reported once each
  for (std::size_t i = 0; i < input.size(); ++i) {
    const std::size_t c = column[i];
    const std::string& name = input[i].name;
    if (c == n) {
      if (unknown.insert(name).second) errors.push_back({name, FieldReason::unknown_attribute});
      continue;
    }
    if (out.named[c]) continue;  // a repeat, reported at its first occurrence
    out.named[c] = true;
    if (uses[c] > 1) {
      errors.push_back({name, FieldReason::duplicate_name});
    } else if (!accepted[c]) {
      errors.push_back({name, FieldReason::not_accepted});
    } else {
      out.columns[i] = c;
    }
  }
  return out;
}

}  // namespace optimist::detail
