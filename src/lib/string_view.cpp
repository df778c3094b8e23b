// SPDX-License-Identifier: MIT
// StringView's comparisons and the blank-separated word splitting.
#include <keel/lib/memory.h>
#include <keel/lib/string_view.h>

namespace keel {

StringView StringView::of(const char* text) {
    return text == nullptr ? StringView{} : StringView{text, strlen(text)};
}

bool StringView::equals(StringView other) const {
    return size == other.size && (size == 0 || memcmp(data, other.data, size) == 0);
}

bool StringView::starts_with(StringView prefix) const {
    return prefix.size <= size && (prefix.size == 0 || memcmp(data, prefix.data, prefix.size) == 0);
}

StringView StringView::after(size_t count) const {
    return count < size ? StringView{data + count, size - count} : StringView{data + size, 0};
}

bool equals(StringView text, const char* word) {
    return text.equals(StringView::of(word));
}

void skip_blanks(StringView text, size_t& at) {
    while (at < text.size && is_blank(text.data[at])) ++at;
}

StringView next_word(StringView text, size_t& at) {
    skip_blanks(text, at);
    const size_t start = at;
    while (at < text.size && !is_blank(text.data[at])) ++at;
    return StringView{text.data + start, at - start};
}

}  // namespace keel
