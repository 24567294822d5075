// SPDX-License-Identifier: MIT
// open(): picks the backend a URL names.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "memory/memory_store.hpp"
#include "optimist/store.hpp"

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
  if (url == "memory:") return std::shared_ptr<Store>(std::make_shared<MemoryStore>(logger));
  Error e = make_error(ErrorKind::invalid, "unsupported store URL; expected memory:");
  e.fields.push_back({"url", FieldReason::malformed});
  return e;
}

}  // namespace optimist
