// SPDX-License-Identifier: MIT
// The fixture of the query contract tests: a Tag resource on a fresh store, a short way to
// add tags, and the reading of results and refusals that the tests compare.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "resources/tag.hpp"
#include "support/backend.hpp"

namespace optimist::testing {

/// Everything a tag is created with; the defaults are Tag's own.
struct NewTag {
  std::int64_t owner = 0;
  std::string name;
  std::optional<std::string> color{};
  double weight = 1.0;
  bool pinned = false;
};

class TagTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;  // the backend is missing: the base fixture failed or skipped
    tags.emplace(store);
  }

  app::Tag add(NewTag t) const {
    return tags->create_or_throw(
        set<&app::Tag::owner_id>(t.owner), set<&app::Tag::name>(std::move(t.name)),
        set<&app::Tag::color>(std::move(t.color)), set<&app::Tag::weight>(t.weight),
        set<&app::Tag::pinned>(t.pinned));
  }
  app::Tag add(std::int64_t owner, std::string name) const {
    return add(NewTag{.owner = owner, .name = std::move(name)});
  }

  /// The column index of attribute `name` in the tags table.
  std::size_t column(std::string_view name) const {
    const auto& columns = tags->table().columns;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == name) return i;
    }
    ADD_FAILURE() << "no column " << name;
    return columns.size();
  }

  static std::vector<std::string> names(const std::vector<app::Tag>& list) {
    std::vector<std::string> out;
    for (const app::Tag& t : list) out.push_back(t.name);
    return out;
  }
  static std::vector<std::int64_t> ids(const std::vector<app::Tag>& list) {
    std::vector<std::int64_t> out;
    for (const app::Tag& t : list) out.push_back(t.id);
    return out;
  }

  std::optional<Resource<app::Tag>> tags;
};

/// The field errors of a refusal, which must be `invalid`; a success or another kind fails
/// the test (and gives no fields).
template <class R>
std::vector<FieldError> refused_fields(const R& r) {
  if (r) {
    ADD_FAILURE() << "succeeded where invalid was expected";
    return {};
  }
  if (r.error().kind != ErrorKind::invalid) {
    ADD_FAILURE() << "failed with " << r.error().kind.name
                  << " where invalid was expected: " << r.error().message();
    return {};
  }
  return r.error().fields;
}

/// The fields of the refusal of a malformed cursor.
inline std::vector<FieldError> bad_cursor() {
  return {FieldError{"cursor", FieldReason::malformed}};
}

}  // namespace optimist::testing
