// SPDX-License-Identifier: MIT
// The whole public API of optimist in one include.
#pragma once

#include "optimist/data_layer.hpp"
#include "optimist/definition.hpp"
#include "optimist/error.hpp"
#include "optimist/events.hpp"
#include "optimist/input.hpp"
#include "optimist/resource.hpp"
#include "optimist/result.hpp"
#include "optimist/retry.hpp"
#include "optimist/store.hpp"
#include "optimist/table.hpp"
#include "optimist/unit.hpp"
