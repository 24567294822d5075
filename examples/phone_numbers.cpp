// SPDX-License-Identifier: MIT
// Phone numbers per user without N+1: the server sets each phone's user (the signed-in one,
// never the form), and a list of users comes with all their phones from one query.
#include <fmt/format.h>

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>
#include <vector>

#include "resources/phone.hpp"
#include "resources/user.hpp"

using app::Phone;
using app::User;
using optimist::set;
using optimist::Value;

int main() {
  auto store = optimist::open("memory:").value();
  const optimist::Resource<User> users{store};
  const optimist::Resource<Phone> phones{store};

  const User ann = users.create(set<&User::name>("ann")).value();
  const User bob = users.create(set<&User::name>("bob")).value();
  (void)users.create(set<&User::name>("cyd")).value();  // cyd has no phone

  // The form gives the number and the label; the user is the session's, set by the server.
  const auto add = [&](const User& signed_in, std::string number, std::string label) {
    return phones
        .create(set<&Phone::user_id>(signed_in.id), set<&Phone::number>(std::move(number)),
                set<&Phone::label>(std::move(label)))
        .value();
  };
  const Phone work = add(ann, "555-0102", "work");
  add(ann, "555-0101", "home");
  add(bob, "555-0201", "mobile");

  // A form that tries to move ann's work phone to bob: user_id is not the form's to set.
  auto moved = phones.update_from(work, {{"user_id", Value{bob.id}}});
  fmt::print("moving a phone by form: {} ({} {})\n", moved.error().kind,
             moved.error().fields.at(0).field,
             optimist::name_of(moved.error().fields.at(0).reason));

  // Every user's phones in one query, grouped by user, in the read action's order (number).
  const std::vector<User> list = users.all().value();
  const auto by_user = phones.children_of<&Phone::user_id>(list).value();
  for (const User& u : list) {
    fmt::print("{}:", u.name);
    for (const Phone& p : by_user[u.id]) fmt::print(" {} ({})", p.number, p.label.value_or("-"));
    fmt::print("{}\n", by_user[u.id].empty() ? " no phones" : "");
  }

  // And the other way: the user of each phone, one query for all of them.
  const std::vector<Phone> all_phones = phones.all().value();
  const auto owners = users.parents_of<&Phone::user_id>(all_phones).value();
  for (const Phone& p : all_phones)
    fmt::print("{} is {}'s\n", p.number, owners.find(p.user_id)->name);
  return 0;
}
