// SPDX-License-Identifier: MIT
// memcpy and friends for the kernel: byte loops, small and obviously correct. The compilers emit
// calls to these for struct copies and zeroing even in freestanding code.
#include <keel/lib/memory.h>
#include <stdint.h>

// GCC would otherwise recognise these loops as memset/memcpy and call... these very functions.
#if defined(__GNUC__) && !defined(__clang__)
#define KEEL_NO_LOOP_TO_CALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define KEEL_NO_LOOP_TO_CALL  // Clang never turns a function named memset into a call to itself
#endif

extern "C" {

KEEL_NO_LOOP_TO_CALL void* memcpy(void* destination, const void* source, size_t count) {
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    for (size_t i = 0; i < count; ++i) d[i] = s[i];
    return destination;
}

KEEL_NO_LOOP_TO_CALL void* memmove(void* destination, const void* source, size_t count) {
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    if (d < s) {
        for (size_t i = 0; i < count; ++i) d[i] = s[i];
    } else {
        for (size_t i = count; i > 0; --i) d[i - 1] = s[i - 1];
    }
    return destination;
}

// Eight bytes at a time where it can (a page is zeroed in 512 stores, not 4096): bytes up to an
// 8-byte boundary, 64-byte blocks of eight word stores (one add and one branch a block: a page,
// every first touch's, is about 650 instructions rather than 512 rounds of three), words, then
// the bytes left.
KEEL_NO_LOOP_TO_CALL void* memset(void* destination, int value, size_t count) {
    using Word [[gnu::may_alias]] = uint64_t;
    auto* d = static_cast<unsigned char*>(destination);
    const auto byte = static_cast<unsigned char>(value);
    while (count > 0 && reinterpret_cast<uintptr_t>(d) % 8 != 0) {
        *d++ = byte;
        --count;
    }
    const Word word = 0x0101010101010101ull * byte;
    for (unsigned char* const blocks_end = d + (count & ~size_t{63}); d != blocks_end; d += 64) {
        Word* block = reinterpret_cast<Word*>(d);
        block[0] = word;
        block[1] = word;
        block[2] = word;
        block[3] = word;
        block[4] = word;
        block[5] = word;
        block[6] = word;
        block[7] = word;
    }
    count &= 63;
    for (; count >= 8; count -= 8, d += 8) *reinterpret_cast<Word*>(d) = word;
    while (count > 0) {
        *d++ = byte;
        --count;
    }
    return destination;
}

int memcmp(const void* a, const void* b, size_t count) {
    const auto* x = static_cast<const unsigned char*>(a);
    const auto* y = static_cast<const unsigned char*>(b);
    for (size_t i = 0; i < count; ++i) {
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

void* memchr(const void* haystack, int byte, size_t count) {
    const auto* bytes = static_cast<const unsigned char*>(haystack);
    for (size_t i = 0; i < count; ++i) {
        if (bytes[i] == static_cast<unsigned char>(byte))
            return const_cast<unsigned char*>(bytes + i);
    }
    return nullptr;
}

size_t strlen(const char* text) {
    size_t n = 0;
    while (text[n] != '\0') ++n;
    return n;
}

int strcmp(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
}

int strncmp(const char* a, const char* b, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        if (a[i] != b[i] || a[i] == '\0') {
            return static_cast<unsigned char>(a[i]) - static_cast<unsigned char>(b[i]);
        }
    }
    return 0;
}

char* strstr(const char* haystack, const char* needle) {
    const size_t length = strlen(needle);
    for (; *haystack != '\0' || length == 0; ++haystack) {
        if (strncmp(haystack, needle, length) == 0) return const_cast<char*>(haystack);
        if (*haystack == '\0') break;
    }
    return nullptr;
}

}  // extern "C"
