// SPDX-License-Identifier: MIT
// Two editors change one Address; the one holding an old copy is told instead of
// overwriting the other's work. Usage: address_walkthrough [STORE_URL] (default memory:).
#include <fmt/format.h>

#include <cstdlib>

#include "resources/address.hpp"

using app::Address;
using optimist::set;

namespace {

void print(std::string_view step, const Address& a) {
  fmt::print("{:<34} id={} version={} state={} county={}\n", step, a.id, a.version, a.state,
             a.county);
}

void print(const optimist::Error& e) {
  fmt::print("  kind={} class={} resource={} action={} key={}\n", e.kind,
             optimist::to_string(e.error_class()), e.resource, e.action, e.key.value_or(0));
  if (e.filter) fmt::print("  filter={{{}: {}}}\n", e.filter->attribute, e.filter->expected);
  if (e.stored_version) fmt::print("  stored_version={}\n", *e.stored_version);
  fmt::print("  message: {}\n", e);
}

}  // namespace

int main(int argc, char** argv) {
  const char* url = argc > 1 ? argv[1] : "memory:";
  auto store = optimist::open(url);
  if (!store) {
    fmt::print(stderr, "cannot open the store: {}\n", store.error());  // the URL may hold a password
    return 2;
  }
  optimist::Resource<Address> addresses{store.value()};

  auto address =
      addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  print("create FL/Pinellas", address);

  auto moved = addresses.update_or_throw(address, set<&Address::state>("NC"),
                                         set<&Address::county>("Guilford"));
  print("update to NC/Guilford", moved);

  auto stale = addresses.update(address, set<&Address::county>("Miami-Dade"));
  fmt::print("update the old copy to Miami-Dade   fails with StaleRecord:\n");
  print(stale.error());

  auto fresh = addresses.get_or_throw(address.id);
  print("refetch", fresh);

  auto done = addresses.update_or_throw(fresh, set<&Address::county>("Miami-Dade"));
  print("update the fresh copy to Miami-Dade", done);
  return done.version == 3 ? EXIT_SUCCESS : EXIT_FAILURE;
}
