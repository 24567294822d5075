// SPDX-License-Identifier: MIT
#include <cstdio>
#include <optimist/optimist.hpp>

struct Note {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string text;
};

template <>
struct optimist::Definition<Note> {
  static constexpr auto resource =
      optimist::resource<Note>("Note", "notes", optimist::primary_key<&Note::id>("id"),
                               optimist::version<&Note::version>("version"),
                               optimist::attribute<&Note::text>("text", {.required = true}));
  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Note::text>;
  using update = optimist::Update<"update", &Note::text>;
};

int main() {
  const optimist::Resource<Note> notes{optimist::open("memory:").value()};
  const Note n = notes.create_or_throw(optimist::set<&Note::text>("hello"));
  (void)notes.update_or_throw(n, optimist::set<&Note::text>("bye"));
  const auto stale = notes.update(n, optimist::set<&Note::text>("again"));
  const bool ok = !stale && stale.error().kind == optimist::ErrorKind::stale_record;
  std::puts(ok ? "consumer ok" : "consumer FAILED");
  return ok ? 0 : 1;
}
