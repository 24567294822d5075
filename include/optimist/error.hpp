// SPDX-License-Identifier: MIT
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace optimist {

/// What kind of party is at fault, following Ash's error classes. Callers branch on the
/// class when they only need to know whether to show the error to a user (invalid,
/// forbidden) or to page an operator (framework, unknown).
enum class ErrorClass { invalid, forbidden, framework, unknown };

/// The identity of an error kind. Kinds tell the caller what to do next; compare them with
/// `==`. Built-in kinds are the static members below; an application adds its own as
/// `inline constexpr optimist::ErrorKind email_already_claimed{"email_already_claimed",
/// optimist::ErrorClass::invalid, "the email address is already claimed"};`.
/// Names must be unique: two kinds with the same name compare equal.
struct ErrorKind {
  std::string_view name;     ///< snake_case, unique per kind
  ErrorClass error_class;    ///< the class every error of this kind has
  std::string_view summary;  ///< the catalogue's sentence for this kind

  /// The record moved on: reload it and redo the change. Detail: `filter`, `stored_version`.
  static const ErrorKind stale_record;
  /// No record has that primary key (or it was destroyed). Detail: `key`.
  static const ErrorKind not_found;
  /// The input is wrong: fix it. Detail: `fields`, one entry per offending field.
  static const ErrorKind invalid;
  /// An identity (a unique attribute or several together) refused the write: another record
  /// holds the same values. Detail: `constraint`, the identity's name.
  static const ErrorKind conflict;
  /// Transient: lost connection, busy, deadlock, serialization failure. Retry the same call.
  static const ErrorKind unavailable;
  /// The caller may not do this.
  static const ErrorKind forbidden;
  /// A resource definition or the schema it meets is wrong (found at registration or when
  /// opening a store). Detail: `fields` naming the identifiers, or `detail`.
  static const ErrorKind invalid_definition;
  /// A fault inside optimist or a backend that none of the kinds above describes.
  static const ErrorKind internal;
  /// An earlier call in this transaction failed: the only thing left is to roll it back (or
  /// back to a savepoint taken before the failure). Detail: `detail` names the failure.
  static const ErrorKind aborted;

  friend constexpr bool operator==(const ErrorKind& a, const ErrorKind& b) noexcept {
    return a.name == b.name;
  }
};

inline constexpr ErrorKind ErrorKind::stale_record{"stale_record", ErrorClass::invalid,
                                                   "the record was changed by someone else"};
inline constexpr ErrorKind ErrorKind::not_found{"not_found", ErrorClass::invalid, "no such record"};
inline constexpr ErrorKind ErrorKind::invalid{"invalid", ErrorClass::invalid, "invalid input"};
inline constexpr ErrorKind ErrorKind::conflict{"conflict", ErrorClass::invalid,
                                               "the value is already taken"};
inline constexpr ErrorKind ErrorKind::unavailable{"unavailable", ErrorClass::framework,
                                                  "the data layer is unavailable"};
inline constexpr ErrorKind ErrorKind::forbidden{"forbidden", ErrorClass::forbidden, "not allowed"};
inline constexpr ErrorKind ErrorKind::invalid_definition{
    "invalid_definition", ErrorClass::framework, "the resource definition is invalid"};
inline constexpr ErrorKind ErrorKind::internal{"internal", ErrorClass::unknown, "internal error"};
inline constexpr ErrorKind ErrorKind::aborted{
    "aborted", ErrorClass::invalid,
    "an earlier call in the transaction failed; only a rollback is left"};

/// Why one field was refused.
enum class FieldReason {
  required,            ///< missing, or an empty string, where a value is required
  too_long,            ///< longer than `limit` characters (Unicode code points)
  not_accepted,        ///< the action does not accept this attribute
  unknown_attribute,   ///< the resource has no attribute of that name
  wrong_type,          ///< the value has the wrong type for the attribute
  out_of_range,        ///< the number does not fit (e.g. a version below 1)
  invalid_utf8,        ///< text that is not valid UTF-8
  contains_nul,        ///< text with an embedded NUL byte
  invalid_identifier,  ///< a table or column name outside [A-Za-z_][A-Za-z0-9_]*
  duplicate_name,      ///< a name used twice in one definition
  missing_column,      ///< the stored table lacks a column the definition needs
  malformed,           ///< text that does not parse (a URL, say); `detail` says where
};

/// One refused field of an `invalid` or `invalid_definition` error.
struct FieldError {
  std::string field;
  FieldReason reason;
  std::int64_t limit = 0;  ///< the maximum for `too_long`; 0 otherwise

  friend bool operator==(const FieldError&, const FieldError&) = default;
};

/// The condition a locked write filtered on, e.g. {"version", 1}.
struct Filter {
  std::string attribute;
  std::int64_t expected = 0;

  friend bool operator==(const Filter&, const Filter&) = default;
};

/// An error as a value: the kind says what to do, the rest says where and why.
/// Only the fields that belong to the kind are set; the human text comes from `message()`.
struct Error {
  ErrorKind kind = ErrorKind::internal;        ///< what the caller should do next
  std::string resource;                        ///< e.g. "Address"; empty when not about one
  std::string action;                          ///< e.g. "update"; empty when not about one
  std::optional<std::int64_t> key;             ///< primary key of the record concerned
  std::optional<Filter> filter;                ///< stale_record: what the write filtered on
  std::optional<std::int64_t> stored_version;  ///< stale_record: the version now stored
  std::vector<FieldError> fields;              ///< invalid, invalid_definition
  std::string constraint;                      ///< conflict: the identity that refused it
  std::string detail;  ///< further text from a backend; never contains attribute values

  /// The class of the kind.
  [[nodiscard]] ErrorClass error_class() const noexcept { return kind.error_class; }
  /// The human-readable text, made by the message catalogue from kind and detail.
  /// Wording may change between versions: never parse it or assert on it.
  [[nodiscard]] std::string message() const;
};

/// Shorthand for an error of `kind` with a free-text detail.
[[nodiscard]] Error make_error(ErrorKind kind, std::string detail = {});

/// The exception `.value()` throws when a Result holds an Error; `error()` is that Error.
class Exception : public std::runtime_error {
 public:
  explicit Exception(Error error);
  [[nodiscard]] const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

/// The class's name, e.g. "framework".
[[nodiscard]] std::string_view to_string(ErrorClass c) noexcept;
/// The catalogue's phrase for a reason, e.g. "is required".
[[nodiscard]] std::string_view to_string(FieldReason r) noexcept;
/// The enumerator's name, e.g. "out_of_range".
[[nodiscard]] std::string_view name_of(FieldReason r) noexcept;

// Printers, so that failing assertions (GoogleTest, Catch2, ...) show values, not bytes.
/// The class's name, e.g. `framework`.
std::ostream& operator<<(std::ostream& os, ErrorClass c);
/// The kind's name, e.g. `stale_record`.
std::ostream& operator<<(std::ostream& os, const ErrorKind& kind);
/// The enumerator's name, e.g. `too_long`.
std::ostream& operator<<(std::ostream& os, FieldReason r);
/// `{field, reason}`, with the limit for too_long: `{name, too_long, 100}`.
std::ostream& operator<<(std::ostream& os, const FieldError& f);
/// `{attribute: expected}`, e.g. `{version: 1}`.
std::ostream& operator<<(std::ostream& os, const Filter& f);
/// The kind and the catalogue message: `stale_record: Address.update ...`.
std::ostream& operator<<(std::ostream& os, const Error& e);

}  // namespace optimist

/// Formats an Error as its catalogue message, e.g. in log lines: `logger.warn("{}", error)`.
template <>
struct fmt::formatter<optimist::Error> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const optimist::Error& e, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(e.message(), ctx);
  }
};

/// Formats an ErrorKind as its name.
template <>
struct fmt::formatter<optimist::ErrorKind> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const optimist::ErrorKind& k, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(k.name, ctx);
  }
};
