// SPDX-License-Identifier: MIT
// PostgreSQL connections: URLs become a libpq keyword string, with bounded timeouts.
#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>

#include <charconv>

#include "postgresql/backend.hpp"

namespace optimist::postgresql {

namespace {

using Keywords = std::vector<sql::Parameter>;

bool has(const Keywords& k, std::string_view key) {
  for (const auto& p : k) {
    if (p.key == key) return true;
  }
  return false;
}

bool valid_port(std::string_view port) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
  return ec == std::errc{} && ptr == port.data() + port.size() && n >= 1 && n <= 65535;
}

// libpq's `port`: one port, or one per host separated by commas (empty for the default).
bool valid_ports(std::string_view ports) {
  while (true) {
    const auto comma = ports.find(',');
    const std::string_view port = ports.substr(0, comma);
    if (!port.empty() && !valid_port(port)) return false;
    if (comma == std::string_view::npos) return true;
    ports = ports.substr(comma + 1);
  }
}

Error bad_port() {
  return sql::malformed_url("the port is not a number from 1 to 65535");
}

// libpq keyword syntax, always single-quoted with escapes: libpq ends a bare value at any
// byte isspace() accepts, which depends on the locale (\f, \v, \r, and in some locales
// bytes above 0x7F), so a bare value could lose its end.
void append_value(std::string& out, std::string_view v) {
  out += '\'';
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
}

// Parses `key=value key='quoted value' ...`. Errors: invalid.
Result<Keywords> parse_keywords(std::string_view s) {
  Keywords out;
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
  };
  for (skip_space(); i < s.size(); skip_space()) {
    const std::size_t key_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ' ' && s[i] != '\t') ++i;
    std::string key(s.substr(key_start, i - key_start));
    skip_space();
    if (key.empty() || i >= s.size() || s[i] != '=') {
      return sql::malformed_url("a libpq keyword is not followed by =value");
    }
    ++i;
    skip_space();
    std::string value;
    if (i < s.size() && s[i] == '\'') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          value += s[i + 1];
          i += 2;
        } else if (s[i] == '\'') {
          ++i;
          closed = true;
          break;
        } else {
          value += s[i++];
        }
      }
      if (!closed) return sql::malformed_url("a quoted libpq value is not closed");
    } else {
      while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') value += s[i++];
    }
    out.push_back({std::move(key), std::move(value)});
  }
  return out;
}

// Parses `postgresql://[user[:password]@][host[:port][,host[:port]...]][/dbname][?query]`.
Result<Keywords> parse_uri(std::string_view rest) {
  Keywords out;
  const auto question = rest.find('?');
  std::string_view query =
      question == std::string_view::npos ? std::string_view{} : rest.substr(question + 1);
  rest = rest.substr(0, question);
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  const std::string_view dbname =
      slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    OPTIMIST_TRY(user, sql::percent_decode(userinfo.substr(0, colon)));
    if (!user.empty()) out.push_back({"user", std::move(user)});
    if (colon != std::string_view::npos) {
      OPTIMIST_TRY(password, sql::percent_decode(userinfo.substr(colon + 1)));
      out.push_back({"password", std::move(password)});
    }
  }
  std::vector<std::string> hosts;
  std::vector<std::string> ports;
  bool any_port = false;
  while (!authority.empty()) {
    const auto comma = authority.find(',');
    const std::string_view item = authority.substr(0, comma);
    authority = comma == std::string_view::npos ? std::string_view{} : authority.substr(comma + 1);
    std::string_view host = item;
    std::string_view port;
    if (!item.empty() && item.front() == '[') {  // [IPv6]
      const auto close = item.find(']');
      if (close == std::string_view::npos) return sql::malformed_url("an IPv6 host lacks ]");
      host = item.substr(1, close - 1);
      const std::string_view after = item.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') return sql::malformed_url("unexpected text after an IPv6 host");
        port = after.substr(1);
      }
    } else if (const auto colon = item.rfind(':'); colon != std::string_view::npos) {
      host = item.substr(0, colon);
      port = item.substr(colon + 1);
    }
    if (!port.empty()) {
      if (!valid_port(port)) return bad_port();
      any_port = true;
    }
    OPTIMIST_TRY(decoded, sql::percent_decode(host));
    hosts.push_back(std::move(decoded));
    ports.emplace_back(port);
  }
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
      if (!out.empty()) out += ',';
      out += item;
    }
    return out;
  };
  if (!hosts.empty() && !(hosts.size() == 1 && hosts[0].empty())) {
    out.push_back({"host", join(hosts)});
  }
  if (any_port) out.push_back({"port", join(ports)});
  if (!dbname.empty()) {
    OPTIMIST_TRY(db, sql::percent_decode(dbname));
    out.push_back({"dbname", std::move(db)});
  }
  OPTIMIST_TRY(params, sql::parse_query(query));
  for (auto& p : params) out.push_back(std::move(p));
  return out;
}

class PostgresConnector final : public sql::Connector {
 public:
  PostgresConnector(std::string conninfo, std::string password,
                    std::chrono::milliseconds statement_timeout)
      : conninfo_(std::move(conninfo)),
        password_(std::move(password)),
        statement_timeout_(statement_timeout) {}

  [[nodiscard]] const sql::Dialect& dialect() const noexcept override {
    return postgresql::dialect();
  }
  [[nodiscard]] std::string_view backend() const noexcept override { return "postgresql"; }

  [[nodiscard]] std::unique_ptr<soci::session> connect() const override {
    auto s = std::make_unique<soci::session>(soci::postgresql, conninfo_);
    // Server notices ("relation already exists, skipping") would go to stderr: drop them.
    // (static_cast: the session was made by the postgresql factory just above, and SOCI does
    // not export the backend's type information for a dynamic_cast.)
    auto* backend = static_cast<soci::postgresql_session_backend*>(s->get_backend());
    PQsetNoticeProcessor(
        backend->conn_, [](void*, const char*) {}, nullptr);
    if (statement_timeout_.count() > 0) {
      soci::statement st =
          (s->prepare << fmt::format("SET statement_timeout = {}", statement_timeout_.count()));
      st.execute(true);
    }
    return s;
  }

  [[nodiscard]] sql::DatabaseError describe(const soci::soci_error& e,
                                            soci::session* session) const override {
    return describe_error(e, session, password_);
  }
  [[nodiscard]] sql::Translated translate(const sql::DatabaseError& e) const override {
    return translate_error(e);
  }

  [[nodiscard]] std::unique_ptr<sql::Statement> prepare(
      soci::session& session, const std::string& text, std::vector<sql::Slot>& in,
      std::vector<sql::Slot>& out) const override {
    return prepare_statement(session, password_, text, in, out);
  }

 private:
  std::string conninfo_;  // holds the password: never logged
  std::string password_;
  std::chrono::milliseconds statement_timeout_;
};

}  // namespace

Result<Conninfo> parse_url(std::string_view url, sql::Settings& settings) {
  Keywords given;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    OPTIMIST_TRY(k, parse_uri(url.substr(url.find("//") + 2)));
    given = std::move(k);
  } else {
    OPTIMIST_TRY(k, parse_keywords(url.substr(url.find(':') + 1)));
    given = std::move(k);
  }

  // optimist's own parameters are taken out; the rest go to libpq as they are.
  Keywords libpq;
  std::string password;
  for (auto& p : given) {
    OPTIMIST_TRY(common, sql::apply_common(p, settings));
    if (common) continue;
    if (p.key == "password") password = p.value;
    // libpq checks the port only when connecting, and would report it as unreachable.
    if (p.key == "port" && !valid_ports(p.value)) return bad_port();
    libpq.push_back(std::move(p));
  }
  // Bounded waits: connecting, and noticing a peer that vanished mid-statement.
  libpq.push_back({"connect_timeout", std::to_string(settings.connect_timeout.count())});
  if (!has(libpq, "keepalives")) libpq.push_back({"keepalives", "1"});
  if (!has(libpq, "keepalives_idle")) libpq.push_back({"keepalives_idle", "10"});
  if (!has(libpq, "keepalives_interval")) libpq.push_back({"keepalives_interval", "5"});
  if (!has(libpq, "keepalives_count")) libpq.push_back({"keepalives_count", "3"});
  if (!has(libpq, "tcp_user_timeout")) libpq.push_back({"tcp_user_timeout", "30000"});

  std::string conninfo;
  for (const auto& p : libpq) {
    if (!is_identifier(p.key)) return sql::malformed_url("a libpq keyword is not a plain name");
    // libpq reads the keyword string up to its first NUL: the keywords after it (the host,
    // the timeouts) would be dropped without a word.
    if (p.value.find('\0') != std::string::npos) {
      return sql::malformed_url(fmt::format("the value of {} holds a NUL", p.key));
    }
    if (!conninfo.empty()) conninfo += ' ';
    conninfo += p.key;
    conninfo += '=';
    append_value(conninfo, p.value);
  }
  char* message = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &message);
  if (parsed == nullptr) {
    std::string detail = message != nullptr ? message : "libpq refused the connection parameters";
    PQfreemem(message);
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    return sql::malformed_url(std::move(detail));
  }
  PQconninfoFree(parsed);
  return Conninfo{.conninfo = std::move(conninfo), .password = std::move(password)};
}

Result<std::unique_ptr<sql::Connector>> make_connector(std::string_view url,
                                                       sql::Settings& settings) {
  OPTIMIST_TRY(parsed, parse_url(url, settings));
  settings.group_commit = false;  // the server groups concurrent commits into one WAL flush
  return std::unique_ptr<sql::Connector>(std::make_unique<PostgresConnector>(
      std::move(parsed.conninfo), std::move(parsed.password), settings.statement_timeout));
}

}  // namespace optimist::postgresql
