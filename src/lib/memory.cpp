// SPDX-License-Identifier: MIT
// memcpy and friends for the kernel. The compilers emit calls to these for struct copies and
// zeroing even in freestanding code, and the kernel zeroes and copies whole pages with them, so
// memset and memcpy move eight bytes a store, eight stores a round (a loop's three instructions of
// counting and branching spread over 64 bytes, not 8); the rest are byte loops, small and
// obviously correct.
#include <keel/lib/memory.h>
#include <stdint.h>

// GCC would otherwise recognise these loops as memset/memcpy and call... these very functions.
#if defined(__GNUC__) && !defined(__clang__)
#define KEEL_NO_LOOP_TO_CALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define KEEL_NO_LOOP_TO_CALL  // Clang never turns a function named memset into a call to itself
#endif

namespace {

using Word [[gnu::may_alias]] = uint64_t;

bool word_aligned(const void* p) {
    return reinterpret_cast<uintptr_t>(p) % sizeof(Word) == 0;
}

}  // namespace

extern "C" {

// Words where source and destination are aligned alike (bytes up to the boundary, then 64 bytes a
// round, then the words and bytes left); bytes otherwise: on much hardware a misaligned load
// traps to the firmware, hundreds of times slower than a byte's.
KEEL_NO_LOOP_TO_CALL void* memcpy(void* destination, const void* source, size_t count) {
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    if ((reinterpret_cast<uintptr_t>(d) ^ reinterpret_cast<uintptr_t>(s)) % sizeof(Word) == 0) {
        for (; count > 0 && !word_aligned(d); --count) *d++ = *s++;
        auto* to = reinterpret_cast<Word*>(d);
        const auto* from = reinterpret_cast<const Word*>(s);
        for (; count >= 8 * sizeof(Word); count -= 8 * sizeof(Word), to += 8, from += 8) {
            const Word w0 = from[0], w1 = from[1], w2 = from[2], w3 = from[3];
            const Word w4 = from[4], w5 = from[5], w6 = from[6], w7 = from[7];
            to[0] = w0, to[1] = w1, to[2] = w2, to[3] = w3;
            to[4] = w4, to[5] = w5, to[6] = w6, to[7] = w7;
        }
        for (; count >= sizeof(Word); count -= sizeof(Word)) *to++ = *from++;
        d = reinterpret_cast<unsigned char*>(to);
        s = reinterpret_cast<const unsigned char*>(from);
    }
    for (; count > 0; --count) *d++ = *s++;
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

// Bytes up to an 8-byte boundary, 64 bytes a round (a page is 64 rounds), then the words and
// bytes left.
KEEL_NO_LOOP_TO_CALL void* memset(void* destination, int value, size_t count) {
    auto* d = static_cast<unsigned char*>(destination);
    const auto byte = static_cast<unsigned char>(value);
    for (; count > 0 && !word_aligned(d); --count) *d++ = byte;
    const Word word = 0x0101010101010101ull * byte;
    auto* to = reinterpret_cast<Word*>(d);
    for (; count >= 8 * sizeof(Word); count -= 8 * sizeof(Word), to += 8) {
        to[0] = word, to[1] = word, to[2] = word, to[3] = word;
        to[4] = word, to[5] = word, to[6] = word, to[7] = word;
    }
    for (; count >= sizeof(Word); count -= sizeof(Word)) *to++ = word;
    d = reinterpret_cast<unsigned char*>(to);
    for (; count > 0; --count) *d++ = byte;
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
