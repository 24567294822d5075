// SPDX-License-Identifier: MIT
// Shared pieces of optimist's libFuzzer target: a reader over the fuzz bytes, and the
// check that stops the run (abort(), which libFuzzer reports as a crash) on a broken
// invariant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace optimist::fuzz {

/// Prints `what` and aborts when `ok` is false.
void expect(bool ok, std::string_view what);

/// Takes values off the front of the fuzz input; past its end, every read yields zeros.
class Bytes {
 public:
  explicit Bytes(std::span<const std::uint8_t> data) : data_(data) {}

  [[nodiscard]] bool empty() const noexcept { return data_.empty(); }
  std::uint8_t byte() {
    if (data_.empty()) return 0;
    const std::uint8_t b = data_.front();
    data_ = data_.subspan(1);
    return b;
  }
  template <class V>
  V raw() {
    unsigned char buffer[sizeof(V)] = {};
    const std::size_t n = std::min(sizeof(V), data_.size());
    std::memcpy(buffer, data_.data(), n);
    data_ = data_.subspan(n);
    V v;
    std::memcpy(&v, buffer, sizeof(V));
    return v;
  }
  /// A string of `n` bytes (fewer at the end of the input).
  std::string text(std::size_t n) {
    n = std::min(n, data_.size());
    std::string s(reinterpret_cast<const char*>(data_.data()), n);
    data_ = data_.subspan(n);
    return s;
  }
  /// The rest of the input as text.
  std::string rest() { return text(data_.size()); }

 private:
  std::span<const std::uint8_t> data_;
};

/// Parses fuzzed store URLs with the SQL stores' parsers (never connecting or opening).
void url(Bytes& in, std::uint8_t mode);
/// Applies fuzzed dynamic input to a Profile on a fresh memory store.
void input(Bytes& in);

}  // namespace optimist::fuzz
