// SPDX-License-Identifier: MIT
// The few pieces of <new> keel needs: placement new, std::align_val_t and std::nothrow_t.
// Debian's bare-metal riscv64-unknown-elf-g++ ships no C++ headers, so the kernel defines them here
// (GCC and Clang find std::align_val_t by name). Host builds (unit tests) use the real <new>.
#pragma once
#include <stddef.h>

#if __STDC_HOSTED__
#include <new>
#else
// NOLINTBEGIN(readability-identifier-naming): the standard's names, which the compiler looks up.
namespace std {
enum class align_val_t : size_t {};
struct nothrow_t {
    explicit nothrow_t() = default;
};
extern const nothrow_t nothrow;
}  // namespace std
// NOLINTEND(readability-identifier-naming)

// Replaceable forms the compiler does not declare implicitly (C++20 [new.delete]); keel defines
// every one in src/mm/heap.cpp.
void* operator new(size_t size, const std::nothrow_t&) noexcept;
void* operator new[](size_t size, const std::nothrow_t&) noexcept;
void* operator new(size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept;
void* operator new[](size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept;
void operator delete(void* block, const std::nothrow_t&) noexcept;
void operator delete[](void* block, const std::nothrow_t&) noexcept;
void operator delete(void* block, std::align_val_t alignment, const std::nothrow_t&) noexcept;
void operator delete[](void* block, std::align_val_t alignment, const std::nothrow_t&) noexcept;

[[nodiscard]] inline void* operator new(size_t, void* place) noexcept {
    return place;
}
[[nodiscard]] inline void* operator new[](size_t, void* place) noexcept {
    return place;
}
inline void operator delete(void*, void*) noexcept {}
inline void operator delete[](void*, void*) noexcept {}
#endif
