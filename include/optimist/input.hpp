// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "optimist/table.hpp"

namespace optimist {

/// One named attribute value of dynamic input: what a service decoded from a JSON body, a
/// form or a queue message. `name` is the attribute's column name as declared in the
/// resource definition ("state"), `value` its new value.
struct Field {
  std::string name;
  Value value;

  friend bool operator==(const Field&, const Field&) = default;
};

/// The changes of one create or update, given as data rather than as set<>() calls; see
/// Resource<T>::create_from and update_from. The accept list of the action still decides
/// what may be set.
///
/// How a Value fits an attribute (anything else is `wrong_type`; nothing is parsed from
/// text, which is the decoder's job):
/// - text (std::string) attributes take a std::string;
/// - bool attributes take a bool, never a number;
/// - integer attributes take a std::int64_t, `out_of_range` when it does not fit the
///   member (an std::int32_t, say); never a double, even a whole one;
/// - floating-point attributes take a double (`out_of_range` when it does not fit a float
///   member, or is NaN or infinite), or a std::int64_t that the member represents exactly
///   (`out_of_range` if not);
/// - std::optional attributes take what their value type takes, or std::monostate (null),
///   which empties them; null into any other attribute is `wrong_type`.
using Input = std::vector<Field>;

}  // namespace optimist
