// SPDX-License-Identifier: MIT
// The throwaway PostgreSQL server of scripts/with-postgres.sh, stopped and started by a test.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace optimist::testing {

/// Stops and starts the server through the scripts that scripts/with-postgres.sh exports
/// (OPTIMIST_TEST_PG_STOP, OPTIMIST_TEST_PG_START). A test using it stops the server every
/// PostgreSQL test shares: register it RUN_SERIAL. A server this object stopped and did not
/// start again is started on destruction, so that a failed test leaves it running.
class PostgresServer {
 public:
  PostgresServer() = default;
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer() {
    if (stopped_) (void)start();
  }

  /// Stops the server and waits until it is down; `pg_ctl_args` are added to pg_ctl's
  /// (e.g. "-m immediate" for a crash). Adds a test failure and returns false when it fails.
  bool stop(std::string_view pg_ctl_args = {}) {
    stopped_ = run("OPTIMIST_TEST_PG_STOP", pg_ctl_args);
    return stopped_;
  }

  /// Starts the server again and waits until it accepts connections. Adds a test failure
  /// and returns false when it fails.
  bool start() {
    const bool started = run("OPTIMIST_TEST_PG_START", {});
    if (started) stopped_ = false;
    return started;
  }

 private:
  static bool run(const char* variable, std::string_view args) {
    const char* script = std::getenv(variable);
    if (script == nullptr) {
      ADD_FAILURE() << variable << " is not set (run under scripts/with-postgres.sh)";
      return false;
    }
    std::string command = script;
    if (!args.empty()) command.append(" ").append(args);
    const int status = std::system(command.c_str());
    if (status != 0) ADD_FAILURE() << command << " failed with status " << status;
    return status == 0;
  }

  bool stopped_ = false;
};

}  // namespace optimist::testing
