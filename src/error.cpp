// SPDX-License-Identifier: MIT
// The message catalogue: the one place where error text is made.
#include "optimist/error.hpp"

#include <fmt/format.h>

#include <iterator>
#include <ostream>

namespace optimist {

std::string_view to_string(ErrorClass c) noexcept {
  switch (c) {
    case ErrorClass::invalid:
      return "invalid";
    case ErrorClass::forbidden:
      return "forbidden";
    case ErrorClass::framework:
      return "framework";
    case ErrorClass::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view to_string(FieldReason r) noexcept {
  switch (r) {
    case FieldReason::required:
      return "is required";
    case FieldReason::too_long:
      return "is too long";
    case FieldReason::not_accepted:
      return "is not accepted by this action";
    case FieldReason::unknown_attribute:
      return "is not an attribute";
    case FieldReason::wrong_type:
      return "has the wrong type";
    case FieldReason::out_of_range:
      return "is out of range";
    case FieldReason::invalid_utf8:
      return "is not valid UTF-8";
    case FieldReason::contains_nul:
      return "contains a NUL byte";
    case FieldReason::invalid_identifier:
      return "is not a valid identifier";
    case FieldReason::duplicate_name:
      return "is used more than once";
    case FieldReason::missing_column:
      return "is missing from the stored table";
    case FieldReason::malformed:
      return "is malformed";
  }
  return "is invalid";
}

std::string_view name_of(FieldReason r) noexcept {
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
  return "invalid";
}

std::ostream& operator<<(std::ostream& os, ErrorClass c) {
  return os << to_string(c);
}

std::ostream& operator<<(std::ostream& os, const ErrorKind& kind) {
  return os << kind.name;
}

std::ostream& operator<<(std::ostream& os, FieldReason r) {
  return os << name_of(r);
}

std::ostream& operator<<(std::ostream& os, const FieldError& f) {
  os << '{' << f.field << ", " << f.reason;
  if (f.reason == FieldReason::too_long) os << ", " << f.limit;
  return os << '}';
}

std::ostream& operator<<(std::ostream& os, const Filter& f) {
  return os << '{' << f.attribute << ": " << f.expected << '}';
}

std::ostream& operator<<(std::ostream& os, const Error& e) {
  return os << e.kind << ": " << e.message();
}

std::string Error::message() const {
  std::string out;
  auto it = std::back_inserter(out);
  if (!resource.empty()) {
    fmt::format_to(it, "{}", resource);
    if (!action.empty()) fmt::format_to(it, ".{}", action);
    if (key) fmt::format_to(it, " (key {})", *key);
    out += ": ";
  }
  out += kind.summary;
  if (kind == ErrorKind::stale_record) {
    if (filter) fmt::format_to(it, "; expected {} {}", filter->attribute, filter->expected);
    if (stored_version) fmt::format_to(it, ", stored {}", *stored_version);
    out += "; reload the record and redo the change";
  } else if (kind == ErrorKind::conflict && !constraint.empty()) {
    fmt::format_to(it, " ({})", constraint);
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    fmt::format_to(it, "{}{} {}", i == 0 ? ": " : "; ", f.field, to_string(f.reason));
    if (f.reason == FieldReason::too_long) fmt::format_to(it, " (at most {})", f.limit);
  }
  if (!detail.empty()) fmt::format_to(it, ": {}", detail);
  return out;
}

Error make_error(ErrorKind kind, std::string detail) {
  Error e;
  e.kind = kind;
  e.detail = std::move(detail);
  return e;
}

Exception::Exception(Error error) : std::runtime_error(error.message()), error_(std::move(error)) {}

}  // namespace optimist
