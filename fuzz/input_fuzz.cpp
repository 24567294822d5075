// SPDX-License-Identifier: MIT
// Dynamic input on a fresh memory store, checked against an oracle written from the
// documented rules (optimist/input.hpp, Resource<T>::create_from): either the call succeeds
// and the record reads back as the input says, or it is `invalid` naming every refused
// field, and nothing is written.
//
// Input layout after the mode byte: a flags byte (bit 0 update, bits 1-2 the version of the
// copy updated: 1 stale, 2 below one, else current; bit 3 the promote action), then up to
// 32 fields, each a name byte (an attribute, junk, or a junk string) and a value (a tag byte
// choosing null, integers, doubles, bools or text of arbitrary bytes).
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <optimist/optimist.hpp>
#include <string>
#include <vector>

#include "fuzz.hpp"
#include "resources/profile.hpp"

namespace optimist::fuzz {

namespace {

using app::Profile;

constexpr std::string_view attributes[] = {"id",     "version", "handle",   "bio",  "age",
                                           "rating", "listed",  "referrer", "admin"};
constexpr std::string_view junk[] = {"", "Handle", "nickname", "handle ", {"bio\0", 4}, "h\xC3"};

std::string name(Bytes& in) {
  const std::size_t k = in.byte() % 16;
  if (k < std::size(attributes)) return std::string(attributes[k]);
  if (k - std::size(attributes) < std::size(junk)) {
    return std::string(junk[k - std::size(attributes)]);
  }
  return in.text(in.byte() % 16);
}

Value value(Bytes& in) {
  const std::uint8_t tag = in.byte();
  switch (tag % 8) {
    case 0:
      return Value{};
    case 1:
      return Value{in.raw<std::int64_t>()};
    case 2:
      return Value{std::int64_t{static_cast<std::int8_t>(in.byte())}};
    case 3:
      return Value{in.raw<double>()};
    case 4:
      return Value{(tag & 8) != 0};
    case 5:
      return Value{in.text(in.byte())};
    case 6: {  // long text: 0 to 511 copies of one byte
      const std::size_t n = in.raw<std::uint16_t>() % 512;
      return Value{std::string(n, static_cast<char>(in.byte()))};
    }
    default: {  // next to an int32 limit
      const std::int64_t limit = (tag & 8) ? std::numeric_limits<std::int32_t>::min()
                                           : std::numeric_limits<std::int32_t>::max();
      return Value{limit + static_cast<std::int8_t>(in.byte())};
    }
  }
}

bool accepted_by(std::string_view action, std::string_view attribute) {
  if (action == "promote") return attribute == "admin";
  const bool editable = attribute == "handle" || attribute == "bio" || attribute == "age" ||
                        attribute == "rating" || attribute == "listed";
  return editable || (action == "create" && attribute == "referrer");
}

bool is_attribute(std::string_view s) {
  return std::find(std::begin(attributes), std::end(attributes), s) != std::end(attributes);
}

/// What the rules say of a name given `count` times: nothing, or the reason it is refused.
std::optional<FieldReason> name_verdict(std::string_view action, const std::string& n, int count) {
  if (!is_attribute(n)) return FieldReason::unknown_attribute;
  if (count > 1) return FieldReason::duplicate_name;
  if (!accepted_by(action, n)) return FieldReason::not_accepted;
  return std::nullopt;
}

/// Whether the Value's alternative may go into attribute `n` (before range checks).
bool type_fits(std::string_view n, const Value& v) {
  const bool null = std::holds_alternative<std::monostate>(v);
  const bool integer = std::holds_alternative<std::int64_t>(v);
  if (n == "handle") return std::holds_alternative<std::string>(v);
  if (n == "bio") return null || std::holds_alternative<std::string>(v);
  if (n == "age") return integer;
  if (n == "rating") return integer || std::holds_alternative<double>(v);
  if (n == "listed" || n == "admin") return std::holds_alternative<bool>(v);
  if (n == "referrer") return null || integer;
  return false;
}

/// Whether attribute `n` of `p` holds what `v` says (for an accepted, successful field).
bool holds(const Profile& p, std::string_view n, const Value& v) {
  const auto* i = std::get_if<std::int64_t>(&v);
  const auto* s = std::get_if<std::string>(&v);
  const bool null = std::holds_alternative<std::monostate>(v);
  if (n == "handle") return s && p.handle == *s;
  if (n == "bio") return null ? !p.bio : (s && p.bio == *s);
  if (n == "age") return i && p.age == *i;
  if (n == "rating") {
    if (i) return static_cast<long double>(p.rating) == static_cast<long double>(*i);
    const double d = std::get<double>(v);
    return !std::isnan(d) && p.rating == static_cast<float>(d);
  }
  if (n == "listed") return p.listed == std::get<bool>(v);
  if (n == "admin") return p.admin == std::get<bool>(v);
  if (n == "referrer") return null ? !p.referrer : (i && p.referrer == *i);
  return false;
}

/// `after` equals `before` in every attribute the input does not name.
bool others_kept(const Profile& before, const Profile& after,
                 const std::map<std::string, int>& named) {
  auto kept = [&](std::string_view n, bool same) { return same || named.contains(std::string(n)); };
  return kept("handle", before.handle == after.handle) && kept("bio", before.bio == after.bio) &&
         kept("age", before.age == after.age) &&
         kept("rating", before.rating == after.rating ||
                            (std::isnan(before.rating) && std::isnan(after.rating))) &&
         kept("listed", before.listed == after.listed) &&
         kept("referrer", before.referrer == after.referrer) &&
         kept("admin", before.admin == after.admin);
}

bool same_attributes(Profile a, const Profile& b) {
  a.version = b.version;
  return a == b;
}

}  // namespace

void input(Bytes& in) {
  const std::uint8_t flags = in.byte();
  const bool update = (flags & 1) != 0;
  const int version_case = (flags >> 1) & 3;
  const std::string_view action = !update ? "create" : (flags & 8) ? "promote" : "update";
  Input fields;
  while (!in.empty() && fields.size() < 32) {
    std::string n = name(in);
    fields.push_back({std::move(n), value(in)});
  }

  auto store = optimist::open("memory:").value();
  const Resource<Profile> profiles{store};
  using Promote = Definition<Profile>::promote;
  const Profile base = profiles.create_or_throw(
      set<&Profile::handle>("base"), set<&Profile::bio>("b"), set<&Profile::age>(30),
      set<&Profile::rating>(2.5F), set<&Profile::referrer>(7));
  Profile copy = base;
  Profile stored = base;  // what the store holds before the call
  if (update && version_case == 1) stored = profiles.update_or_throw(base, set<&Profile::age>(31));
  if (update && version_case == 2) copy.version = 0;

  const Result<Profile> r = !update               ? profiles.create_from(fields)
                            : action == "promote" ? profiles.update_from<Promote>(copy, fields)
                                                  : profiles.update_from(copy, fields);

  std::map<std::string, int> named;
  for (const Field& f : fields) ++named[f.name];
  bool names_ok = true;
  for (const auto& [n, count] : named) names_ok = names_ok && !name_verdict(action, n, count);

  auto nothing_written = [&] {
    if (update) return profiles.get_or_throw(base.id) == stored;
    return profiles.create_or_throw(set<&Profile::handle>("marker")).id == base.id + 1;
  };

  if (update && version_case == 2) {
    expect(!r && r.error().kind == ErrorKind::invalid &&
               r.error().fields == std::vector<FieldError>{{"version", FieldReason::out_of_range}},
           "a version below 1 is refused alone");
    expect(nothing_written(), "a refused update wrote nothing");
    return;
  }
  if (r) {
    const Profile& p = r.value();
    expect(names_ok, "an input with a refused name succeeded");
    expect(!(update && version_case == 1), "a stale copy was updated");
    for (const Field& f : fields) expect(holds(p, f.name, f.value), "a field reads as given");
    const Profile start = update ? base : Profile{};
    expect(others_kept(start, p, named), "an attribute not named changed");
    expect(profiles.get_or_throw(p.id) == p, "the record reads back as returned");
    if (update) {
      expect(p.id == base.id, "update keeps the key");
      expect(p.version == base.version + (same_attributes(p, base) ? 0 : 1),
             "the version counts real changes");
    } else {
      expect(p.id == base.id + 1 && p.version == 1, "a created record: next key, version 1");
    }
    return;
  }
  const Error& e = r.error();
  if (e.kind == ErrorKind::stale_record) {
    expect(update && version_case == 1 && names_ok, "stale_record only for a stale copy");
    expect(nothing_written(), "a stale update wrote nothing");
    return;
  }
  expect(e.kind == ErrorKind::invalid && e.resource == "Profile" && e.action == action,
         "a refusal is invalid, for Profile and the action called");
  expect(!e.fields.empty(), "an invalid error names its fields");
  std::map<std::string, FieldReason> reported;
  for (const FieldError& fe : e.fields) {
    expect(reported.emplace(fe.field, fe.reason).second, "one error per refused name");
    const bool by_name = fe.reason == FieldReason::unknown_attribute ||
                         fe.reason == FieldReason::duplicate_name ||
                         fe.reason == FieldReason::not_accepted;
    if (by_name) {
      expect(named.contains(fe.field), "a name refused that was not given");
      expect(name_verdict(action, fe.field, named[fe.field]) == fe.reason,
             "a name refused for the wrong reason");
      continue;
    }
    const bool missing = !named.contains(fe.field);
    expect(missing ? (!update && fe.field == "handle" && fe.reason == FieldReason::required)
                   : !name_verdict(action, fe.field, named[fe.field]),
           "a value refused for a name that is unknown, repeated or not accepted");
    if (!missing) {
      const auto f = std::find_if(fields.begin(), fields.end(),
                                  [&](const Field& x) { return x.name == fe.field; });
      expect((fe.reason == FieldReason::wrong_type) == !type_fits(fe.field, f->value),
             "wrong_type exactly when the value's type does not fit");
    }
  }
  for (const auto& [n, count] : named) {
    if (name_verdict(action, n, count)) expect(reported.contains(n), "a refused name is missing");
  }
  for (const Field& f : fields) {
    if (!name_verdict(action, f.name, named[f.name]) && !type_fits(f.name, f.value)) {
      expect(reported.contains(f.name) && reported[f.name] == FieldReason::wrong_type,
             "a value of the wrong type is missing");
    }
  }
  if (!update && !named.contains("handle")) {
    expect(reported.contains("handle") && reported["handle"] == FieldReason::required,
           "a create without the required handle is missing its error");
  }
  expect(nothing_written(), "a refused call wrote nothing");
}

}  // namespace optimist::fuzz
