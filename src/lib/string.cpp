// SPDX-License-Identifier: MIT
// String: appends grow the backing Vector<char> once, then copy the bytes and the new NUL.
#include <keel/lib/memory.h>
#include <keel/lib/string.h>

namespace keel {

bool String::append(const char* text, size_t length) {
    const size_t old_size = size();
    if (length > static_cast<size_t>(-1) - old_size - 1) return false;
    const size_t needed = old_size + length + 1;
    if (needed > chars_.capacity()) {
        size_t wanted = chars_.capacity() * 2;  // amortised doubling
        if (wanted < needed) wanted = needed;
        if (wanted < 16) wanted = 16;
        if (!chars_.reserve(wanted)) return false;
    }
    if (chars_.empty()) {
        if (!chars_.push_back('\0')) return false;  // cannot fail: capacity is reserved
    }
    chars_.pop_back();  // drop the NUL, append, put it back; capacity suffices for all of it
    for (size_t i = 0; i < length; ++i) (void)chars_.push_back(text[i]);
    (void)chars_.push_back('\0');
    return true;
}

bool String::append(const char* text) {
    return append(text, strlen(text));
}

}  // namespace keel
