// SPDX-License-Identifier: MIT
// The backend registry: one table from URL scheme to the code that opens a store, read by
// open(), the benchmark and the test fixtures. Adding a backend is one folder, one line in
// backends.cpp and one optimist_backend() call in CMakeLists.txt.
#pragma once

#include <spdlog/logger.h>

#include <array>
#include <memory>
#include <span>
#include <string_view>

#include "optimist/store.hpp"

namespace optimist::backends {

/// One kind of store a URL can name.
struct Backend {
  /// The backend's name, as Store::backend() reports it.
  std::string_view name;
  /// The URL prefixes that name it (e.g. "sqlite:"); unused entries are empty.
  std::array<std::string_view, 2> schemes;
  /// The URL forms, for the error that names the supported ones.
  std::string_view forms;
  /// Opens the store `url` names (it starts with one of `schemes`). Errors: invalid (a
  /// malformed URL), unavailable, internal.
  Result<std::shared_ptr<Store>> (*open)(std::string_view url, const Options& options,
                                         std::shared_ptr<spdlog::logger> logger);
};

/// The backends this build has, in the order their schemes are tried.
[[nodiscard]] std::span<const Backend> all() noexcept;

/// The backend whose scheme `url` starts with, or null.
[[nodiscard]] const Backend* find(std::string_view url) noexcept;

}  // namespace optimist::backends
