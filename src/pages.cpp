// SPDX-License-Identifier: MIT
// Keyset pages: a page ends with a cursor holding the sort-key values of its last row, signed
// with the store's key over the query it belongs to; the next page is the same query with
// the condition "after those values" added. Rows inserted or destroyed between pages move
// no row across the cursor, so no row that existed throughout is skipped or repeated.
#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

#include "optimist/related.hpp"
#include "optimist/store.hpp"
#include "selection_check.hpp"

namespace optimist::detail {

namespace {

constexpr char format_version = 1;
constexpr std::size_t tag_size = 16;  // bytes of the HMAC-SHA-256 kept

// The bytes of values and conditions, for cursors and the fingerprints they are signed
// over: a tag per value, numbers in 8 bytes, text with its length.
struct Bytes {
  std::string out;

  void number(std::uint64_t n) {
    for (int i = 0; i < 8; ++i) out += static_cast<char>((n >> (8 * i)) & 0xFF);
  }
  void value(const Value& v) {
    out += static_cast<char>(v.index());
    switch (v.index()) {
      case 1:
        number(static_cast<std::uint64_t>(std::get<std::int64_t>(v)));
        break;
      case 2:
        number(std::bit_cast<std::uint64_t>(std::get<double>(v)));
        break;
      case 3:
        out += std::get<bool>(v) ? '\1' : '\0';
        break;
      case 4:
        number(std::get<std::string>(v).size());
        out += std::get<std::string>(v);
        break;
      default:
        break;
    }
  }
  void condition(const Condition& c) {
    out += static_cast<char>(c.kind);
    if (c.kind == Condition::Kind::test) {
      out += static_cast<char>(c.test);
      number(c.column);
      number(c.values.size());
      for (const Value& v : c.values) value(v);
    }
    number(c.operands.size());
    for (const Condition& o : c.operands) condition(o);
  }
};

// Reads what Bytes wrote; any shortfall or unknown tag is a malformed cursor.
struct Reader {
  std::string_view in;

  bool number(std::uint64_t& n) {
    if (in.size() < 8) return false;
    n = 0;
    for (int i = 0; i < 8; ++i) n |= std::uint64_t{static_cast<unsigned char>(in[i])} << (8 * i);
    in.remove_prefix(8);
    return true;
  }
  bool value(Value& v) {
    if (in.empty()) return false;
    const char tag = in.front();
    in.remove_prefix(1);
    std::uint64_t n = 0;
    switch (tag) {
      case 0:
        v = std::monostate{};
        return true;
      case 1:
        if (!number(n)) return false;
        v = static_cast<std::int64_t>(n);
        return true;
      case 2:
        if (!number(n)) return false;
        v = std::bit_cast<double>(n);
        return true;
      case 3:
        if (in.empty() || (in.front() != '\0' && in.front() != '\1')) return false;
        v = in.front() == '\1';
        in.remove_prefix(1);
        return true;
      case 4:
        if (!number(n) || n > in.size()) return false;
        v = std::string(in.substr(0, n));
        in.remove_prefix(n);
        return true;
      default:
        return false;
    }
  }
};

// What a cursor is signed over besides its values: the table and the query (its filter and
// its total order; not its limit, so that pages may change size).
std::string fingerprint(const Table& table, const Selection& s) {
  Bytes b;
  b.out = "optimist page cursor";
  b.out += '\0';
  b.out += table.name;
  b.out += '\0';
  b.condition(s.where);
  b.number(s.order.size());
  for (const SortKey& k : s.order) {
    b.number(k.column);
    b.out += k.descending ? '\1' : '\0';
  }
  return b.out;
}

// HMAC-SHA-256, keyed once per thread and key. Keying hashes the key's two pads, and
// HMAC()'s one-shot form also fetches the algorithm and builds and frees a context on every
// call: about 24 k instructions a tag, twice per page, where hashing a cursor's bytes takes
// a few thousand. A context keyed once is only reset between tags (EVP_MAC_init without a
// key reuses the pads already hashed). Thread-local: a context is not thread-safe, and a
// thread pages through one store at a time in the common case (another store's key rekeys).
class Mac {
 public:
  Mac() = default;
  Mac(const Mac&) = delete;
  Mac& operator=(const Mac&) = delete;
  ~Mac() {
    EVP_MAC_CTX_free(ctx_);
    EVP_MAC_free(mac_);
    OPENSSL_cleanse(key_.data(), key_.size());
  }

  std::array<unsigned char, EVP_MAX_MD_SIZE> tag(const std::string& key, std::string_view print,
                                                 std::string_view payload) {
    if (!keyed_ || key != key_) {
      rekey(key);
    } else if (EVP_MAC_init(ctx_, nullptr, 0, nullptr) != 1) {
      throw std::runtime_error("HMAC failed");
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    std::size_t n = 0;
    if (EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(print.data()), print.size()) !=
            1 ||
        EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(payload.data()),
                       payload.size()) != 1 ||
        EVP_MAC_final(ctx_, out.data(), &n, out.size()) != 1) {
      throw std::runtime_error("HMAC failed");
    }
    return out;
  }

 private:
  void rekey(const std::string& key) {
    if (mac_ == nullptr) mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (ctx_ == nullptr && mac_ != nullptr) ctx_ = EVP_MAC_CTX_new(mac_);
    if (ctx_ == nullptr) throw std::runtime_error("HMAC failed");
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    keyed_ = false;
    OPENSSL_cleanse(key_.data(), key_.size());
    key_.clear();
    if (EVP_MAC_init(ctx_, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     params) != 1) {
      throw std::runtime_error("HMAC failed");
    }
    key_ = key;
    keyed_ = true;
  }

  EVP_MAC* mac_ = nullptr;
  EVP_MAC_CTX* ctx_ = nullptr;
  std::string key_;     // the key ctx_ holds, when keyed_
  bool keyed_ = false;  // ctx_ holds key_'s pads
};

std::array<unsigned char, EVP_MAX_MD_SIZE> mac(const std::string& key, const std::string& print,
                                               std::string_view payload) {
  thread_local Mac keyed;
  return keyed.tag(key, print, payload);
}

// Base64 of RFC 4648's URL alphabet, without padding: safe in a URL's query as it is.
std::string base64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string padded;
  padded.reserve(text.size() + 3);
  for (const char c : text) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!plain && c != '-' && c != '_') return std::nullopt;
    padded += c == '-' ? '+' : c == '_' ? '/' : c;
  }
  const std::size_t pad = (4 - padded.size() % 4) % 4;
  padded.append(pad, '=');
  std::string out(padded.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()),
                                static_cast<int>(padded.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - pad);
  // Only the one spelling base64url() writes: unused low bits in the last character would
  // otherwise let several texts stand for one cursor.
  if (base64url(out) != text) return std::nullopt;
  return out;
}

Error refused(const Table& table, std::string_view action, std::string field, FieldReason why,
              std::string detail) {
  Error e = make_error(ErrorKind::invalid, std::move(detail));
  e.resource = table.resource;
  e.action = std::string(action);
  e.fields.push_back({std::move(field), why});
  return e;
}

Error bad_cursor(const Table& table, std::string_view action) {
  return refused(table, action, "cursor", FieldReason::malformed,
                 "the cursor is malformed, altered, or made for another query or store");
}

std::string seal(const std::string& key, const std::string& print, const Selection& s,
                 const Row& last) {
  Bytes b;
  b.out += format_version;
  for (const SortKey& k : s.order) b.value(last[k.column]);
  const auto tag = mac(key, print, b.out);
  b.out.append(reinterpret_cast<const char*>(tag.data()), tag_size);
  return base64url(b.out);
}

// The sort-key values a cursor holds, once its signature and values check out.
std::optional<Row> open_cursor(const std::string& key, const std::string& print, const Table& table,
                               const Selection& s, std::string_view cursor) {
  const auto bytes = from_base64url(cursor);
  if (!bytes || bytes->size() < 1 + tag_size || (*bytes)[0] != format_version) return std::nullopt;
  const std::string_view payload(bytes->data(), bytes->size() - tag_size);
  const auto tag = mac(key, print, payload);
  if (CRYPTO_memcmp(tag.data(), bytes->data() + payload.size(), tag_size) != 0) return std::nullopt;
  Reader r{payload.substr(1)};
  Row values(s.order.size());
  for (std::size_t i = 0; i < s.order.size(); ++i) {
    if (!r.value(values[i])) return std::nullopt;
    const Column& c = table.columns[s.order[i].column];
    if (values[i].index() == 0 && !c.nullable) return std::nullopt;
  }
  if (!r.in.empty()) return std::nullopt;
  return values;
}

// The rows after `values` in order `order` (total, so exactly one row has them all).
Condition after(const std::vector<SortKey>& order, const Row& values) {
  Condition any = Condition::joined(Condition::Kind::any_of);
  for (std::size_t i = 0; i < order.size(); ++i) {
    Condition step = Condition::joined(Condition::Kind::all_of);
    for (std::size_t j = 0; j < i; ++j) {
      step.operands.push_back(values[j].index() == 0
                                  ? Condition::of(Compare::is_null, order[j].column)
                                  : Condition::of(Compare::eq, order[j].column, {values[j]}));
    }
    const std::size_t c = order[i].column;
    const bool null = values[i].index() == 0;
    if (!order[i].descending) {
      // Above a value; above NULL, which is below every value: any value.
      step.operands.push_back(
          null ? Condition::joined(Condition::Kind::none_of, {Condition::of(Compare::is_null, c)})
               : Condition::of(Compare::gt, c, {values[i]}));
    } else if (null) {
      continue;  // nothing is below NULL
    } else {
      step.operands.push_back(Condition::joined(
          Condition::Kind::any_of,
          {Condition::of(Compare::lt, c, {values[i]}), Condition::of(Compare::is_null, c)}));
    }
    any.operands.push_back(step.operands.size() == 1 ? std::move(step.operands.front())
                                                     : std::move(step));
  }
  return any;
}

}  // namespace

Error not_one(const Table& table, std::string_view action, std::size_t found) {
  Error e = found == 0 ? make_error(ErrorKind::not_found)
                       : make_error(ErrorKind::invalid, "more than one record matches");
  e.resource = table.resource;
  e.action = std::string(action);
  return e;
}

Error offset_in_walk(const Table& table, std::string_view action) {
  return refused(table, action, "offset", FieldReason::not_accepted,
                 "a walk in keyset batches takes no offset");
}

Error window_in_related(const Table& table, std::string_view action, bool offset) {
  return refused(table, action, offset ? "offset" : "limit", FieldReason::not_accepted,
                 "related records are read whole, for every key: no limit or offset");
}

std::string random_cursor_key() {
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("no random bytes for the cursor key");
  }
  return key;
}

Result<PageRows> page_rows(const Store& store, DataLayer& data, const Table& table,
                           std::string_view action, Selection selection, std::string_view cursor) {
  if (selection.limit == std::size_t{0}) {
    return refused(table, action, "limit", FieldReason::out_of_range,
                   "a page holds at least one record");
  }
  if (!cursor.empty() && selection.offset != 0) {
    return refused(table, action, "offset", FieldReason::not_accepted,
                   "a page after a cursor takes no offset");
  }
  const std::size_t size = std::min(selection.limit.value_or(default_page_size), SIZE_MAX - 1);
  if (auto checked = check_selection(table, selection, true); !checked) {
    Error e = std::move(checked).error();
    e.resource = table.resource;
    e.action = std::string(action);
    return e;
  }
  const std::string print = fingerprint(table, selection);
  if (!cursor.empty()) {
    const auto values = open_cursor(store.cursor_key_, print, table, selection, cursor);
    if (!values) return bad_cursor(table, action);
    Condition where = Condition::joined(Condition::Kind::all_of);
    if (selection.where.kind != Condition::Kind::all)
      where.operands.push_back(std::move(selection.where));
    where.operands.push_back(after(selection.order, *values));
    selection.where = std::move(where);
  }
  selection.limit = size + 1;  // one more tells whether a next page exists
  OPTIMIST_TRY(rows, CheckedSelect::run(data, table, action, selection));
  PageRows page{std::move(rows), std::nullopt};
  if (page.rows.size() > size) {
    page.rows.resize(size);
    page.next = seal(store.cursor_key_, print, selection, page.rows.back());
  }
  return page;
}

}  // namespace optimist::detail
