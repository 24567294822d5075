// SPDX-License-Identifier: MIT
#include <optimist/optimist.hpp>
#include <string>

struct Note {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string text;
  std::string draft;  // kept in memory only: not an attribute
};

template <>
struct optimist::Definition<Note> {
  static constexpr auto resource = optimist::resource<Note>(
      "Note", "notes", optimist::primary_key<&Note::id>("id"),
      optimist::version<&Note::version>("version"), optimist::attribute<&Note::text>("text"));
  using read = optimist::Read<"read">;
};

int main() {
  const auto where = optimist::eq<&Note::draft>("x");
  return static_cast<int>(where.condition().values.size());
}
