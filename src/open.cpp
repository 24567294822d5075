// SPDX-License-Identifier: MIT
// open(): opens the store of the backend a URL names (see backends.hpp).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "backends.hpp"
#include "optimist/store.hpp"
#include "sql/url.hpp"

namespace optimist {

std::shared_ptr<spdlog::logger> default_logger() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto l = std::make_shared<spdlog::logger>(
        "optimist", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    l->set_level(spdlog::level::warn);
    return l;
  }();
  return logger;
}

Result<std::shared_ptr<Store>> open(std::string_view url, Options options) {
  auto logger = options.logger ? options.logger : default_logger();
  // Drivers take C strings: a NUL would silently cut off the rest (say, sslmode=require).
  if (url.find('\0') != std::string_view::npos) return sql::malformed_url("the URL holds a NUL");
  if (!options.cursor_key.empty() && options.cursor_key.size() < 16) {
    Error e = make_error(ErrorKind::invalid, "a cursor key holds at least 16 bytes");
    e.fields.push_back({"cursor_key", FieldReason::out_of_range});
    return e;
  }
  if (const backends::Backend* backend = backends::find(url)) {
    try {
      auto store = backend->open(url, options, std::move(logger));
      if (store && !options.cursor_key.empty()) store.value()->cursor_key_ = options.cursor_key;
      return store;
    } catch (const std::exception&) {
      return make_error(ErrorKind::internal, "unexpected failure while opening the store");
    }
  }
  std::string forms;
  for (const backends::Backend& b : backends::all()) {
    forms += forms.empty() ? "" : ", ";
    forms += b.forms;
  }
  return sql::malformed_url("unsupported store URL; expected one of " + forms);
}

}  // namespace optimist
