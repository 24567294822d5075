// SPDX-License-Identifier: MIT
// A registration flow whose every unhappy path converges to one Result: checks run before
// the transaction (unknown external id, id already claimed), the unit's writes inside it
// (email taken, a claim lost to a concurrent registration), and data layer errors pass
// through unchanged. Application error kinds name each outcome; callers compare kinds.
#include <fmt/format.h>

#include <cstdint>
#include <optimist/optimist.hpp>
#include <string>
#include <tuple>

namespace app {

struct Member {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string email;
  std::int64_t external_id = 0;
};

/// An id issued by an external directory, claimable by one member.
struct Invitation {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t claimed_by = 0;  ///< the member's id; 0 while unclaimed
};

inline constexpr optimist::ErrorKind email_already_claimed{
    "email_already_claimed", optimist::ErrorClass::invalid, "the email address is already claimed"};
inline constexpr optimist::ErrorKind unknown_external_id{
    "unknown_external_id", optimist::ErrorClass::invalid, "no such external id"};
inline constexpr optimist::ErrorKind id_already_claimed{
    "id_already_claimed", optimist::ErrorClass::invalid, "the external id is already claimed"};

}  // namespace app

template <>
struct optimist::Definition<app::Member> {
  using Member = app::Member;
  static constexpr auto resource = optimist::resource<Member>(
      "Member", "members", optimist::primary_key<&Member::id>("id"),
      optimist::version<&Member::version>("version"),
      optimist::attribute<&Member::email>("email",
                                          {.required = true, .max_length = 254, .unique = true}),
      optimist::attribute<&Member::external_id>("external_id"));
  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &Member::email, &Member::external_id>;
};

template <>
struct optimist::Definition<app::Invitation> {
  using Invitation = app::Invitation;
  static constexpr auto resource = optimist::resource<Invitation>(
      "Invitation", "invitations", optimist::primary_key<&Invitation::id>("id"),
      optimist::version<&Invitation::version>("version"),
      optimist::attribute<&Invitation::claimed_by>("claimed_by"));
  using read = optimist::Read<"read">;
  using create = optimist::Create<"create">;
  using update = optimist::Update<"claim", &Invitation::claimed_by>;
};

namespace app {

using optimist::ErrorKind;
using optimist::make_error;
using optimist::set;

/// Registers `email` with the directory's `external_id`. Errors: email_already_claimed,
/// unknown_external_id, id_already_claimed, invalid (a malformed email), unavailable,
/// internal.
optimist::Result<Member> register_member(const std::shared_ptr<optimist::Store>& store,
                                         const std::string& email, std::int64_t external_id) {
  auto run =
      optimist::Unit{}  // Before the transaction: lookups and validations.
          .check("invitation",
                 [&](optimist::StepContext& ctx) -> optimist::Result<Invitation> {
                   OPTIMIST_TRY(invitations, ctx.resource<Invitation>());
                   auto found = invitations.get(external_id);
                   if (!found && found.error().kind == ErrorKind::not_found) {
                     return make_error(unknown_external_id);
                   }
                   if (found && found.value().claimed_by != 0) {
                     return make_error(id_already_claimed);
                   }
                   return found;
                 })
          // Inside it: the writes, the second one built from earlier results.
          .create<Member>("member", set<&Member::email>(email),
                          set<&Member::external_id>(external_id))
          .update<Invitation>("claim",
                              [](const optimist::UnitResults& done) {
                                return std::tuple{
                                    done.get<Invitation>("invitation"),
                                    set<&Invitation::claimed_by>(done.get<Member>("member").id)};
                              })
          .run(store);
  if (run) return run.value().get<Member>("member");
  const optimist::UnitError& e = run.error();
  if (e.step == "member" && e.kind == ErrorKind::conflict) return make_error(email_already_claimed);
  if (e.step == "claim" && e.kind == ErrorKind::stale_record) {
    return make_error(id_already_claimed);  // a concurrent registration claimed it first
  }
  return static_cast<const optimist::Error&>(e);  // the check's kinds, data layer errors
}

}  // namespace app

int main() {
  auto store = optimist::open("memory:").value();
  const optimist::Resource<app::Invitation> invitations{store};
  const auto first = invitations.create_or_throw();
  const auto second = invitations.create_or_throw();

  auto show = [](std::string_view what, const optimist::Result<app::Member>& r) {
    if (r) {
      fmt::print("{:<24} member {} ({})\n", what, r.value().id, r.value().email);
    } else {
      fmt::print("{:<24} {} [{}]\n", what, r.error().kind, r.error());
    }
  };
  show("new member", app::register_member(store, "ann@example.com", first.id));
  show("email taken", app::register_member(store, "ann@example.com", second.id));
  show("unknown external id", app::register_member(store, "bob@example.com", 999));
  show("id already claimed", app::register_member(store, "bob@example.com", first.id));
  show("malformed email", app::register_member(store, "", second.id));
  show("second member", app::register_member(store, "bob@example.com", second.id));
  return 0;
}
