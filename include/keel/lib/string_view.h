// SPDX-License-Identifier: MIT
// StringView: a slice of text that is not necessarily NUL-terminated, and the few things keel asks
// of one: comparing, prefixes, and splitting on blanks (the command line and the shell's lines
// split the same way). Portable.
#pragma once
#include <stddef.h>

namespace keel {

struct StringView {
    const char* data = nullptr;
    size_t size = 0;

    // A view of a NUL-terminated string (of nullptr: empty).
    static StringView of(const char* text);

    bool empty() const { return size == 0; }
    bool equals(StringView other) const;
    bool starts_with(StringView prefix) const;
    // What follows the first `count` bytes (empty when there are fewer).
    StringView after(size_t count) const;
};

// True when `text` equals the NUL-terminated `word`.
bool equals(StringView text, const char* word);

// Blanks separate words: space and tab.
constexpr bool is_blank(char c) {
    return c == ' ' || c == '\t';
}
// Moves `at` past the blanks of `text` there.
void skip_blanks(StringView text, size_t& at);
// The next word of `text` at or after `at` (empty when only blanks are left), `at` moved past it.
StringView next_word(StringView text, size_t& at);

}  // namespace keel
