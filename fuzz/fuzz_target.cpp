// SPDX-License-Identifier: MIT
// optimist's libFuzzer entry point. The first byte picks what the rest exercises, modulo 4:
// 0 a store URL as given, 1 the rest of a postgresql:// URL after a user and a password,
// 2 a libpq keyword string after a password, 3 dynamic input (see input_fuzz.cpp). The
// seeds in fuzz/corpus/ (written by fuzz/seeds.py) use the printable 'd', 'a', 'b' and 'c'.
#include <cstdio>
#include <cstdlib>

#include "fuzz.hpp"

namespace optimist::fuzz {

void expect(bool ok, std::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "optimist invariant broken: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

}  // namespace optimist::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  optimist::fuzz::Bytes in({data, size});
  const std::uint8_t mode = in.byte() % 4;
  if (mode == 3) {
    optimist::fuzz::input(in);
  } else {
    optimist::fuzz::url(in, mode);
  }
  return 0;
}
