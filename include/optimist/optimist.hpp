// SPDX-License-Identifier: MIT
// The whole public API of optimist in one include.
#pragma once

// In reading order, not alphabetical: each header builds only on the ones above it.
// clang-format off
#include "optimist/error.hpp"
#include "optimist/result.hpp"
#include "optimist/table.hpp"
#include "optimist/definition.hpp"
#include "optimist/input.hpp"
#include "optimist/selection.hpp"
#include "optimist/query.hpp"
#include "optimist/query_input.hpp"
#include "optimist/events.hpp"
#include "optimist/data_layer.hpp"
#include "optimist/store.hpp"
#include "optimist/resource.hpp"
#include "optimist/related.hpp"
#include "optimist/unit.hpp"
#include "optimist/retry.hpp"
// clang-format on
