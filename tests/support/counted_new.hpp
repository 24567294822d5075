// SPDX-License-Identifier: MIT
// A replaced global operator new that counts every heap allocation of the program, for the
// binaries that measure what a read allocates. Include it in exactly one translation unit of
// such a binary. Under the sanitizers, which bring their own allocator, nothing is replaced
// and nothing is counted.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OPTIMIST_COUNTS_ALLOCATIONS 0
#else
#define OPTIMIST_COUNTS_ALLOCATIONS 1
#endif

namespace optimist::testing {

/// Whether allocated() counts (false under the sanitizers).
inline constexpr bool counts_allocations = OPTIMIST_COUNTS_ALLOCATIONS != 0;

namespace detail {

inline std::atomic<std::uint64_t> allocations{0};

[[maybe_unused]] inline void* allocate(std::size_t n, std::size_t alignment) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (n == 0) n = 1;
  void* p = alignment <= alignof(std::max_align_t)
                ? std::malloc(n)
                : std::aligned_alloc(alignment, (n + alignment - 1) / alignment * alignment);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace detail

/// The heap allocations through operator new since the program started.
inline std::uint64_t allocated() noexcept {
  return detail::allocations.load(std::memory_order_relaxed);
}

}  // namespace optimist::testing

#if OPTIMIST_COUNTS_ALLOCATIONS
// Every form allocates through allocate() and frees with std::free.
void* operator new(std::size_t n) {
  return optimist::testing::detail::allocate(n, 0);
}
void* operator new[](std::size_t n) {
  return optimist::testing::detail::allocate(n, 0);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return optimist::testing::detail::allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return optimist::testing::detail::allocate(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return optimist::testing::detail::allocate(n, 0);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return optimist::testing::detail::allocate(n, 0);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
#endif
